"""Records scikit-learn 1.2.1's classification metrics on small fixtures with tied scores.

Run with Debian's Python (python3-sklearn 1.2.1):
    /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/metrics_sklearn.py
Writes tests/TorchLogistic.Tests/Fixtures/metrics_sklearn.json (inputs and expected outputs).
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve

assert sklearn.__version__ == "1.2.1", sklearn.__version__
rng = np.random.default_rng(20240601)


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def prf(y, p, average, labels=None):
    pr, rc, f1, _ = metrics.precision_recall_fscore_support(y, p, average=average, zero_division=0, labels=labels)
    return {"precision": floats(pr), "recall": floats(rc), "f1": floats(f1)}


def binary_case(name, y, p1, threshold):
    proba = np.column_stack([1 - p1, p1])
    pred = (p1 >= threshold).astype(int)
    fpr, tpr, roc_thr = metrics.roc_curve(y, p1)
    prec, rec, pr_thr = metrics.precision_recall_curve(y, p1)
    cal = {}
    for strategy, n_bins in (("uniform", 5), ("uniform", 10), ("quantile", 4)):
        t, pp = calibration_curve(y, p1, n_bins=n_bins, strategy=strategy)
        cal[f"{strategy}_{n_bins}"] = {"prob_true": floats(t), "prob_pred": floats(pp)}
    return {
        "name": name, "n_classes": 2, "y_true": ints(y), "proba": floats(proba), "threshold": threshold, "y_pred": ints(pred),
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "binary": prf(y, pred, "binary"), "macro": prf(y, pred, "macro"), "weighted": prf(y, pred, "weighted"),
        "micro": prf(y, pred, "micro"), "per_class": prf(y, pred, None, labels=[0, 1]),
        "confusion_matrix": ints(metrics.confusion_matrix(y, pred, labels=[0, 1])),
        "log_loss": metrics.log_loss(y, proba), "brier_score": metrics.brier_score_loss(y, p1),
        "roc_curve": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(roc_thr)},
        "roc_auc": metrics.roc_auc_score(y, p1),
        "pr_curve": {"precision": floats(prec), "recall": floats(rec), "thresholds": floats(pr_thr)},
        "average_precision": metrics.average_precision_score(y, p1),
        "calibration": cal,
    }


def multiclass_case(name, y, proba):
    k = proba.shape[1]
    pred = proba.argmax(1)
    per_class_roc = []
    for c in range(k):
        fpr, tpr, thr = metrics.roc_curve(y == c, proba[:, c])
        per_class_roc.append({"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr),
                              "auc": metrics.roc_auc_score(y == c, proba[:, c])})
    return {
        "name": name, "n_classes": k, "y_true": ints(y), "proba": floats(proba), "y_pred": ints(pred),
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "macro": prf(y, pred, "macro"), "weighted": prf(y, pred, "weighted"), "micro": prf(y, pred, "micro"),
        "per_class": prf(y, pred, None, labels=list(range(k))),
        "confusion_matrix": ints(metrics.confusion_matrix(y, pred, labels=list(range(k)))),
        "log_loss": metrics.log_loss(y, proba, labels=list(range(k))),
        "roc_auc_ovr_macro": metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro"),
        "roc_auc_ovr_weighted": metrics.roc_auc_score(y, proba, multi_class="ovr", average="weighted"),
        "average_precision_macro": metrics.average_precision_score(np.eye(k)[y], proba, average="macro"),
        "per_class_roc": per_class_roc,
    }


cases = []
# Binary with many ties: scores rounded to one decimal, some exactly 0 and 1.
y = rng.integers(0, 2, 60)
p = np.clip(np.round(0.25 + 0.5 * y + rng.normal(0, 0.25, 60), 1), 0, 1)
cases.append(binary_case("binary_ties", y, p, 0.5))
# Binary, continuous scores, imbalanced, a non-default threshold.
y = (rng.random(80) < 0.3).astype(int)
p = 1 / (1 + np.exp(-(rng.normal(0, 1, 80) + 1.2 * y - 0.8)))
cases.append(binary_case("binary_continuous", y, p, 0.3))
# Binary where a whole class is never predicted (zero division in precision).
y = np.array([0, 0, 1, 1, 0, 1, 0, 0])
p = np.array([0.1, 0.2, 0.4, 0.3, 0.2, 0.45, 0.1, 0.3])
cases.append(binary_case("binary_never_positive", y, p, 0.5))
# Multiclass: rows drawn from a small palette of probability vectors (ties in every column) plus random rows.
palette = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4]])
rows = palette[rng.integers(0, len(palette), 45)]
rnd = rng.dirichlet([1, 1, 1], 30)
proba = np.vstack([rows, rnd])
y = np.array([rng.choice(3, p=r) for r in proba])
cases.append(multiclass_case("multiclass_ties", y, proba))
# Four classes, one of which is never predicted.
logits = rng.normal(0, 1, (50, 4))
logits[:, 3] -= 3
proba = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
y = rng.integers(0, 4, 50)
cases.append(multiclass_case("multiclass_unpredicted_class", y, proba))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "metrics_sklearn.json")
with open(out, "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "cases": cases}, f, indent=1)
print("wrote", os.path.normpath(out))
