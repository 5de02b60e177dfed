"""Exact fold scores for tests/TorchLogistic.Tests/Selection/CrossValidationTests.cs.

Run:  /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/cross_validation_exact.py
Reads cv_breast_cancer.csv (written by cross_validation_sklearn.py); writes cross_validation_exact.json.
Every fold and C of LogisticRegressionCV's grid fitted alone by damped Newton on TorchLogistic's (and scikit-learn's)
objective (1/m) sum log(1 + exp(-t z)) + ||w||^2/(2 C m), intercept unpenalised, to a gradient max-norm of 1e-13;
held-out log loss (sklearn.metrics.log_loss) and ROC AUC of the logits.
"""
import json
import os

import numpy as np
from scipy.special import expit
from sklearn.metrics import log_loss, roc_auc_score

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def newton(A, y, C):
    m, p = A.shape
    P = np.eye(p) / (C * m)
    P[-1, -1] = 0
    f = lambda t: np.mean(np.logaddexp(0, A @ t) - y * (A @ t)) + 0.5 * t @ P @ t
    theta = np.zeros(p)
    for _ in range(500):
        q = expit(A @ theta)
        g = A.T @ (q - y) / m + P @ theta
        if np.abs(g).max() < 1e-13:
            break
        H = (A * (q * (1 - q))[:, None]).T @ A / m + P
        step = np.linalg.solve(H, g)
        t, f0 = 1.0, f(theta)
        while f(theta - t * step) > f0 - 1e-4 * t * (g @ step) and t > 1e-12:
            t *= 0.5
        theta = theta - t * step
    return theta, float(np.abs(g).max())


def main():
    d = np.genfromtxt(os.path.join(HERE, "cv_breast_cancer.csv"), delimiter=",", skip_header=1)
    X, fold, y = d[:, :-2], d[:, -2].astype(int), d[:, -1]
    Cs = np.logspace(-4, 4, 10)
    out = {"Cs": Cs.tolist(), "log_loss": [], "roc_auc": [], "grad_inf": []}
    for f in range(5):
        tr, te = fold != f, fold == f
        A = np.hstack([X[tr], np.ones((tr.sum(), 1))])
        rows = ([], [], [])
        for C in Cs:
            theta, g = newton(A, y[tr], C)
            z = np.hstack([X[te], np.ones((te.sum(), 1))]) @ theta
            rows[0].append(log_loss(y[te], expit(z)))
            rows[1].append(roc_auc_score(y[te], z))
            rows[2].append(g)
        out["log_loss"].append(rows[0])
        out["roc_auc"].append(rows[1])
        out["grad_inf"].append(rows[2])
    with open(os.path.join(HERE, "cross_validation_exact.json"), "w") as o:
        json.dump(out, o, indent=1)


if __name__ == "__main__":
    main()
