"""References for tests/TorchLogistic.Tests/Calibration/CalibrationTests.cs (Platt and isotonic calibration on out-of-fold logits).

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/calibration_sklearn.py
Reads Fixtures/cv_breast_cancer.csv and cv_iris.csv (written by cross_validation_sklearn.py: standardised features, the
fold of every row in the column "fold") and writes Fixtures/calibration_sklearn.json.

For each data set and method (sigmoid, isotonic):
  CalibratedClassifierCV(LogisticRegression(C=1, solver="newton-cg", tol=1e-8), method=method,
                         cv=PredefinedSplit(fold), ensemble=False).fit(X, y)
i.e. the decision function of every row from the fit without its fold (cross_val_predict), one calibrator fitted on
all of them, the base model refitted on all rows. newton-cg at tol 1e-8 stops after ~16 Newton steps with the full
gradient of C·Σ loss + ½‖w‖² at most ~2e-9 (the Hessian is at least the identity, so θ is within ~2e-9 of the optimum);
tol 1e-10 is below what its rounding reaches (it runs to max_iter without converging). Recorded: the out-of-fold logits, the calibrated predict_proba on the
training rows and on new rows (breast cancer: sklearn's 9 rows after the first 560, standardised with the same mean and
deviation, and the same rows times 3, whose logits lie beyond the calibration's range; iris: 5 training rows times 2),
the sigmoid parameters (a, b) and the isotonic knots, and the out-of-fold rows' Brier score and log loss (sklearn.metrics)
before and after calibration.

Platt: scikit-learn fits (a, b) with scipy's fmin_bfgs at its default gtol 1e-5, which stops where the gradient of the
(sum-scaled) objective is ~1e-5, so a and b are only ~1e-6 from the optimum. The script therefore also refines (a, b)
from scikit-learn's values with scipy.optimize.minimize(trust-exact, exact Hessian, gtol=1e-12; BFGS stalls near 1e-7), then plain Newton steps
until the gradient is below 1e-11, on the same objective (the same prior-corrected
targets) and records "refined" probabilities p = expit(-(a z + b)) on the refit's logits z, beside scikit-learn's own.
"""
import csv
import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize
from scipy.special import expit, xlogy
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss
from sklearn.model_selection import PredefinedSplit, cross_val_predict

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read(name):
    with open(os.path.join(HERE, name)) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    features = [j for j, h in enumerate(header) if h not in ("fold", "label")]
    X = np.array([[float(r[j]) for j in features] for r in body])
    fold = np.array([int(r[header.index("fold")]) for r in body])
    labels = [r[header.index("label")] for r in body]
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    return X, y, fold


def base():
    return LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=100)


def platt_objective(F, y):
    prior0 = float(np.sum(y <= 0))
    prior1 = y.shape[0] - prior0
    T = np.where(y > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))

    def objective(AB):
        P = expit(-(AB[0] * F + AB[1]))
        return -(xlogy(T, P) + xlogy(1.0 - T, 1.0 - P)).sum()

    def grad(AB):
        P = expit(-(AB[0] * F + AB[1]))
        r = T - P
        return np.array([np.dot(r, F), np.sum(r)])

    def hess(AB):
        P = expit(-(AB[0] * F + AB[1]))
        h = P * (1 - P)
        return np.array([[np.dot(h, F * F), np.dot(h, F)], [np.dot(h, F), np.sum(h)]])

    return objective, grad, hess


def calibrate(X, y, fold, X_new, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = CalibratedClassifierCV(base(), method=method, cv=PredefinedSplit(fold), ensemble=False).fit(X, y)
        oof = cross_val_predict(base(), X, y, cv=PredefinedSplit(fold), method="decision_function")
    pair = model.calibrated_classifiers_[0]
    refit = pair.estimator
    out = {
        "oof_logits": np.asarray(oof).ravel().tolist(),
        "proba_train": model.predict_proba(X).ravel().tolist(),
        "proba_new": model.predict_proba(X_new).ravel().tolist(),
        "refit_logits_train": refit.decision_function(X).ravel().tolist(),
        "refit_logits_new": refit.decision_function(X_new).ravel().tolist(),
    }
    # Brier score and log loss of the out-of-fold rows before (the base model's link) and after (the fitted calibrators).
    Z = np.asarray(oof).reshape(len(y), -1)
    if Z.shape[1] == 1:
        before = np.column_stack([1 - expit(Z[:, 0]), expit(Z[:, 0])])
        after = pair.calibrators[0].predict(Z[:, 0])
        after = np.column_stack([1 - after, after])
    else:
        e = np.exp(Z - Z.max(axis=1, keepdims=True))
        before = e / e.sum(axis=1, keepdims=True)
        q = np.column_stack([c.predict(Z[:, k]) for k, c in enumerate(pair.calibrators)])
        after = q / q.sum(axis=1, keepdims=True)

    def brier(p):
        # scikit-learn's brier_score_loss for two classes; Brier's multiclass sum over classes otherwise.
        if p.shape[1] == 2:
            return float(brier_score_loss(y, p[:, 1]))
        return float(np.mean(np.sum((p - np.eye(p.shape[1])[y]) ** 2, axis=1)))

    out["oof_scores"] = {
        "brier_before": brier(before), "brier_after": brier(after),
        "log_loss_before": float(log_loss(y, before)), "log_loss_after": float(log_loss(y, after)),
    }
    if method == "sigmoid":
        maps = []
        oof2 = np.asarray(oof).reshape(len(y), -1)
        for c, calibrator in enumerate(pair.calibrators):
            column = oof2[:, c]
            target = (y == (1 if oof2.shape[1] == 1 else c)).astype(int)
            objective, grad, hess = platt_objective(column, target)
            ab = np.array([calibrator.a_, calibrator.b_])
            refined = minimize(objective, ab, jac=grad, hess=hess, method="trust-exact", options={"gtol": 1e-12, "maxiter": 1000})
            x = refined.x
            # trust-exact may stop early on a tiny trust region; full Newton steps from there reach rounding.
            for _ in range(50):
                if np.max(np.abs(grad(x))) < 1e-11:
                    break
                x = x - np.linalg.solve(hess(x), grad(x))
            refined.x = x
            maps.append({
                "a": float(calibrator.a_), "b": float(calibrator.b_),
                "sklearn_grad_max": float(np.max(np.abs(grad(ab)))),
                "refined_a": float(refined.x[0]), "refined_b": float(refined.x[1]),
                "refined_grad_max": float(np.max(np.abs(grad(refined.x)))),
            })
        out["maps"] = maps

        def refined_proba(Z):
            Z = np.asarray(Z).reshape(Z.shape[0], -1)
            q = np.column_stack([expit(-(m["refined_a"] * Z[:, c] + m["refined_b"])) for c, m in enumerate(maps)])
            if q.shape[1] == 1:
                return np.column_stack([1 - q[:, 0], q[:, 0]])
            return q / q.sum(axis=1, keepdims=True)

        out["refined_proba_train"] = refined_proba(refit.decision_function(X)).ravel().tolist()
        out["refined_proba_new"] = refined_proba(refit.decision_function(X_new)).ravel().tolist()
    else:
        out["maps"] = [{"x": c.X_thresholds_.tolist(), "y": c.y_thresholds_.tolist()} for c in pair.calibrators]
    return out


def breast_cancer_new_rows():
    data = load_breast_cancer()
    raw = data.data
    first = raw[:560]
    rest = (raw[560:] - first.mean(axis=0)) / first.std(axis=0)
    rest = np.array([[float(f"{v:.8g}") for v in row] for row in rest])
    return np.vstack([rest, 3 * rest]), np.concatenate([data.target[560:], data.target[560:]])


def main():
    result = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "C": 1.0}
    X, y, fold = read("cv_breast_cancer.csv")
    X_new, y_new = breast_cancer_new_rows()
    result["breast_cancer"] = {"new_rows": X_new.tolist(), "new_labels": y_new.tolist()}
    for method in ("sigmoid", "isotonic"):
        result["breast_cancer"][method] = calibrate(X, y, fold, X_new, method)
    X, y, fold = read("cv_iris.csv")
    X_new = 2 * X[[0, 30, 60, 90, 120]]
    result["iris"] = {"new_rows": X_new.tolist()}
    for method in ("sigmoid", "isotonic"):
        result["iris"][method] = calibrate(X, y, fold, X_new, method)
    with open(os.path.join(HERE, "calibration_sklearn.json"), "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
