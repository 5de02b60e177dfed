"""References for tests/TorchLogistic.Tests/Selection/CrossValidationTests.cs (cross-validation and calibration).

Run with scikit-learn 1.2.1:  /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/cross_validation_sklearn.py
Writes tests/TorchLogistic.Tests/Fixtures/cv_breast_cancer.csv, cv_iris.csv and cross_validation_sklearn.json;
then run cross_validation_glmnet.R (it reads cv_breast_cancer.csv) for the one-standard-error reference.

Data (all written to the CSVs, so both sides read the same numbers):
- breast cancer (labels 0 = malignant, 1 = benign, as sklearn's target): the first 560 of sklearn's 569 rows (5 folds of exactly 112 rows, so every fold trains on 448
  rows and glmnet's lambda = 1/(C*448) is the same C in every fold), standardised with the population standard
  deviation and rounded to 8 significant digits; a stratified 5-fold assignment (StratifiedKFold, shuffle,
  random_state=0) in the column "fold".
- iris: all 150 rows, standardised and rounded the same way; 5 stratified folds (random_state=1).
References:
- LogisticRegressionCV(Cs=grid, cv=PredefinedSplit(fold), tol=1e-10) with a second-order solver, which stops only on
  the gradient (max |grad| of the mean objective <= tol), so each fold reaches its exact optimum wherever the solver
  converges: breast cancer (binary) "newton-cholesky" (new in 1.2), iris (multinomial; newton-cholesky is binary/ovr
  only in 1.2) "newton-cg"; max_iter=100 (both need < 20 where they converge; n_iter per fold and C is recorded).
  Where they do NOT converge: at C = 1e4 on breast cancer (nearly separable: the optimum's coefficients are large and
  the Hessian's smallest eigenvalue is ~1/(C m)) newton-cholesky's inner solve "stumbles" and falls back to lbfgs,
  which stops on scipy's ftol (held-out log loss 1.7e-2 from the optimum's), and newton-cg's scipy Wolfe line search
  fails on rounding errors (0.69 from it). lbfgs (the default solver; tol=1e-12, recorded as "lbfgs_fold_scores" for
  breast cancer's log loss) stops on ftol = 64 eps everywhere, up to 3.6e-4 from the optimum at C = 1e4.
  cross_validation_exact.py records the optimum's fold scores independently (damped Newton to a gradient max-norm of 1e-13).
  Scoring neg_log_loss
  and accuracy (breast cancer also roc_auc, balanced_accuracy); scores_ per fold and C (log loss as a loss), C_,
  refit coef_/intercept_.
- CalibratedClassifierCV(LogisticRegression(C, tol=1e-12), cv=PredefinedSplit(fold), ensemble=False,
  method=sigmoid|isotonic).predict_proba on the data's rows, at C = 1 (breast cancer, binary).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import PredefinedSplit, StratifiedKFold

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CS = np.logspace(-4, 4, 10)


def prepared(X, y, n, seed):
    X, y = X[:n], y[:n]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X = np.array([[float(f"{v:.8g}") for v in row] for row in X])
    fold = np.empty(n, dtype=int)
    for f, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y)):
        fold[test] = f
    return X, y, fold


def write_csv(name, X, y, fold, classes):
    with open(os.path.join(HERE, name), "w") as out:
        out.write(",".join([f"x{j}" for j in range(X.shape[1])] + ["fold", "label"]) + "\n")
        for row, f, label in zip(X, fold, y):
            out.write(",".join([repr(float(v)) for v in row] + [str(f), classes[label]]) + "\n")


def search(X, y, fold, scoring, solver, Cs=CS, tol=1e-10, max_iter=100):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegressionCV(Cs=Cs, cv=PredefinedSplit(fold), solver=solver, tol=tol, max_iter=max_iter, scoring=scoring).fit(X, y)
    scores = next(iter(model.scores_.values()))
    sign = -1.0 if scoring == "neg_log_loss" else 1.0
    return {
        "fold_scores": (sign * scores).tolist(),
        "C": float(model.C_[0]),
        "solver": solver,
        "tol": tol,
        "n_iter": model.n_iter_[0].tolist(),
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
    }


def main():
    result = {"sklearn": sklearn.__version__, "Cs": CS.tolist()}
    data = load_breast_cancer()
    X, y, fold = prepared(data.data, data.target, 560, 0)
    write_csv("cv_breast_cancer.csv", X, y, fold, ["0", "1"])
    result["breast_cancer"] = {s: search(X, y, fold, s, "newton-cholesky") for s in ("neg_log_loss", "accuracy", "roc_auc", "balanced_accuracy")}
    result["breast_cancer"]["neg_log_loss"]["lbfgs_fold_scores"] = search(X, y, fold, "neg_log_loss", "lbfgs", tol=1e-12, max_iter=100000)["fold_scores"]
    calibration = {}
    for method in ("sigmoid", "isotonic"):
        base = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000)
        calibrated = CalibratedClassifierCV(base, cv=PredefinedSplit(fold), method=method, ensemble=False).fit(X, y)
        calibration[method] = calibrated.predict_proba(X)[:, 1].tolist()
        if method == "sigmoid":
            c = calibrated.calibrated_classifiers_[0].calibrators[0]
            calibration["sigmoid_ab"] = [float(c.a_), float(c.b_)]
    result["breast_cancer"]["calibration"] = calibration

    data = load_iris()
    X, y, fold = prepared(data.data, data.target, 150, 1)
    write_csv("cv_iris.csv", X, y, fold, list(data.target_names))
    result["iris"] = {s: search(X, y, fold, s, "newton-cg") for s in ("neg_log_loss", "accuracy")}
    with open(os.path.join(HERE, "cross_validation_sklearn.json"), "w") as out:
        json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
