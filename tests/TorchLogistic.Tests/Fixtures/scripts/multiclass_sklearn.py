"""Reference values for the multiclass tests, from scikit-learn 1.2.1 (Debian 12's python3-sklearn).

Run with /usr/bin/python3 from this folder; writes ../multiclass_sklearn.json.

- Softmax (multinomial) and one-vs-rest logistic regression on iris and digits: every row, features
  standardised with StandardScaler, L2 penalty, C = 1, solver newton-cg at tol 1e-12 (the default lbfgs stops
  about 2e-5 relative short of the optimum). For each fit the gradient of scikit-learn's own objective at its
  solution is recorded, so the fixture shows it is the optimum, not just where a solver stopped.
- log_loss, confusion_matrix, precision_score and recall_score on fixed inputs, including probabilities of
  exactly 0 and 1 (clipping) and a class that is never predicted (zero_division=0).
"""
import json
import warnings

import numpy as np
import sklearn
from scipy.special import expit, logsumexp, softmax
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, log_loss, precision_score, recall_score
from sklearn.preprocessing import StandardScaler

C = 1.0


def multinomial_gradient(X, y, W, b):
    """Gradient of the objective as TorchLogistic writes it, (1/m) Σ CE + ½‖W‖²/(C·m), at (W, b)."""
    m, k = X.shape[0], W.shape[0]
    P = softmax(X @ W.T + b, axis=1)
    R = (P - np.eye(k)[y]) / m
    return np.concatenate([(R.T @ X + W / (C * m)).ravel(), R.sum(0)])


def multinomial_objective(X, y, W, b):
    m = X.shape[0]
    Z = X @ W.T + b
    return float(np.mean(logsumexp(Z, axis=1) - Z[np.arange(m), y]) + 0.5 * np.sum(W ** 2) / (C * m))


def binary_gradient(X, t, w, b):
    m = X.shape[0]
    r = (expit(X @ w + b) - t) / m
    return np.concatenate([X.T @ r + w / (C * m), [r.sum()]])


def binary_objective(X, t, w, b):
    m = X.shape[0]
    z = X @ w + b
    return float(np.mean(np.logaddexp(0, z) - t * z) + 0.5 * w @ w / (C * m))


def fit(name, X, y):
    X = StandardScaler().fit_transform(X)
    k = int(y.max()) + 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        soft = LogisticRegression(C=C, multi_class="multinomial", solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)
        ovr = LogisticRegression(C=C, multi_class="ovr", solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)
    g = multinomial_gradient(X, y, soft.coef_, soft.intercept_)
    members = []
    for j in range(k):
        t = (y == j).astype(float)
        members.append({
            "objective": binary_objective(X, t, ovr.coef_[j], ovr.intercept_[j]),
            "gradient_inf_norm": float(np.abs(binary_gradient(X, t, ovr.coef_[j], ovr.intercept_[j])).max()),
        })
    proba = soft.predict_proba(X)
    return {
        "n_samples": int(X.shape[0]),
        "warnings": sorted({str(w.message) for w in caught}),
        "softmax": {
            "coef": soft.coef_.tolist(),
            "intercept": soft.intercept_.tolist(),
            "n_iter": int(soft.n_iter_[0]),
            "objective": multinomial_objective(X, y, soft.coef_, soft.intercept_),
            "gradient_inf_norm": float(np.abs(g).max()),
            "log_loss": float(log_loss(y, proba)),
            "accuracy": float(np.mean(proba.argmax(1) == y)),
        },
        "ovr": {
            "coef": ovr.coef_.tolist(),
            "intercept": ovr.intercept_.tolist(),
            "members": members,
            "log_loss": float(log_loss(y, ovr.predict_proba(X))),
            "accuracy": float(np.mean(ovr.predict(X) == y)),
        },
    }


def metrics():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=40)
    P = rng.dirichlet(np.ones(4), size=40)
    P[0] = [0.0, 1.0, 0.0, 0.0]          # certain and right or wrong: clipped to eps / 1 - eps
    P[1] = [1.0, 0.0, 0.0, 0.0]
    P[2] = [0.25, 0.25, 0.25, 0.25]
    y[0], y[1] = 1, 2
    y_pred = P.argmax(1)
    y_pred[y_pred == 3] = 0               # class 3 is never predicted: precision 0 by zero_division=0
    return {
        "y_true": y.tolist(),
        "proba": P.ravel().tolist(),
        "n_classes": 4,
        "log_loss": float(log_loss(y, P, labels=[0, 1, 2, 3])),
        "y_pred": y_pred.tolist(),
        "confusion_matrix": confusion_matrix(y, y_pred, labels=[0, 1, 2, 3]).tolist(),
        "precision": precision_score(y, y_pred, labels=[0, 1, 2, 3], average=None, zero_division=0).tolist(),
        "recall": recall_score(y, y_pred, labels=[0, 1, 2, 3], average=None, zero_division=0).tolist(),
    }


result = {
    "sklearn_version": sklearn.__version__,
    "C": C,
    "iris": fit("iris", *load_iris(return_X_y=True)),
    "digits": fit("digits", *load_digits(return_X_y=True)),
    "metrics": metrics(),
}
with open("../multiclass_sklearn.json", "w") as f:
    json.dump(result, f, indent=1)
for name in ("iris", "digits"):
    r = result[name]
    print(name, "softmax |grad|inf", r["softmax"]["gradient_inf_norm"], "n_iter", r["softmax"]["n_iter"],
          "ovr max |grad|inf", max(m["gradient_inf_norm"] for m in r["ovr"]["members"]), "warnings", r["warnings"])
