"""Reference values for the evaluate command (torchlogistic evaluate, train --test-data).

Run with Debian's Python (python3-sklearn 1.2.1) from this folder:
    /usr/bin/python3 evaluate_sklearn.py
Writes ../evaluate_sklearn.json.

For breast cancer (binary) and iris (multinomial), the built-in data shipped in the library
(src/TorchLogistic/Data/Builtin): rows i with i % 5 == 0 are the test rows, the others the training rows (the test
writes the same two CSV files). make_pipeline(StandardScaler(), LogisticRegression(C=1, tol 1e-12)) is
fitted on the training rows; its predict_proba on the test rows and scikit-learn's metrics of those probabilities
and predictions (argmax; the binary threshold 0.5 is the same rule) are recorded. TorchLogistic trained the same way
reaches the same optimum, so its probabilities equal these to ~1e-9, and its metrics must equal scikit-learn's.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score, brier_score_loss,
                             confusion_matrix, f1_score, log_loss, precision_score, recall_score, roc_auc_score)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, label_binarize

here = os.path.dirname(os.path.abspath(__file__))
builtin = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "src", "TorchLogistic", "Data", "Builtin"))


def case(file):
    data = np.loadtxt(os.path.join(builtin, file), delimiter=",", skiprows=1)
    X, y = data[:, :-1], data[:, -1].astype(int)
    test = np.arange(len(y)) % 5 == 0
    k = y.max() + 1
    # Binary by newton-cholesky (exact Hessian, to rounding), multinomial by newton-cg (it warns that it cannot
    # reach tol 1e-12: its gradient is then at rounding level).
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, solver="newton-cg" if k > 2 else "newton-cholesky", tol=1e-12,
                                                               max_iter=10_000, multi_class="multinomial" if k > 2 else "auto"))
    model.fit(X[~test], y[~test])
    P = model.predict_proba(X[test])
    yt = y[test]
    pred = P.argmax(1)
    labels = list(range(k))
    average = "binary" if k == 2 else "macro"
    onehot = label_binarize(yt, classes=labels) if k > 2 else None
    return {
        "n_test": int(test.sum()),
        "proba": P.ravel().tolist(),
        "accuracy": accuracy_score(yt, pred),
        "balanced_accuracy": balanced_accuracy_score(yt, pred),
        "log_loss": log_loss(yt, P, labels=labels),
        "precision": precision_score(yt, pred, average=average, zero_division=0),
        "recall": recall_score(yt, pred, average=average, zero_division=0),
        "f1": f1_score(yt, pred, average=average, zero_division=0),
        "macro_f1": f1_score(yt, pred, average="macro", zero_division=0),
        "weighted_f1": f1_score(yt, pred, average="weighted", zero_division=0),
        "per_class_f1": f1_score(yt, pred, average=None, labels=labels, zero_division=0).tolist(),
        "confusion_matrix": confusion_matrix(yt, pred, labels=labels).tolist(),
        "brier_score": brier_score_loss(yt, P[:, 1]) if k == 2 else float(np.mean(np.sum((P - onehot) ** 2, axis=1))),
        "roc_auc": roc_auc_score(yt, P[:, 1]) if k == 2 else roc_auc_score(yt, P, multi_class="ovr", average="macro"),
        "average_precision": average_precision_score(yt, P[:, 1]) if k == 2 else average_precision_score(onehot, P, average="macro"),
    }


result = {"sklearn_version": sklearn.__version__, "breast_cancer": case("breast_cancer.csv"), "iris": case("iris.csv")}
with open(os.path.join(here, "..", "evaluate_sklearn.json"), "w") as f:
    json.dump(result, f, indent=1)
for name in ("breast_cancer", "iris"):
    r = result[name]
    print(name, r["n_test"], "accuracy", r["accuracy"], "log loss", r["log_loss"], "auc", r["roc_auc"])
