"""Reference values for the no-intercept tests (TrainingOptions.FitIntercept = false, --no-intercept).

Run with Debian's Python (python3-sklearn 1.2.1, python3-statsmodels 0.13.5) from this folder:
    /usr/bin/python3 no_intercept_sklearn.py
Writes ../no_intercept_sklearn.json.

- scikit-learn's LogisticRegression(fit_intercept=False) on the built-in data shipped in the library
  (src/TorchLogistic/Data/Builtin): breast cancer (binary) and iris (multinomial), every row, features
  standardised with StandardScaler, L2 penalty at C = 1 and C = 0.1, solver newton-cholesky (binary, tol 1e-14) or newton-cg (multinomial, tol 1e-12;
  it warns that it cannot reach that tolerance: the gradient is then at rounding level). The
  inf-norm of the gradient of TorchLogistic's objective (1/m) Σ ℓᵢ + ½‖W‖²/(C·m) at scikit-learn's solution is
  recorded, so the fixture shows it is the optimum itself, not where a solver stopped.
- statsmodels' Logit on breast cancer's columns 0, 1, 4, 8 (raw, unstandardised) WITHOUT a constant column:
  the reference for --summary without an intercept.
"""
import json
import os

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy.special import expit, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", "..", "..", ".."))
builtin = os.path.join(root, "src", "TorchLogistic", "Data", "Builtin")


def load(name):
    """A built-in CSV: a header line 'rows,columns,class names…', then features and the label index."""
    data = np.loadtxt(os.path.join(builtin, name), delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1].astype(int)


def gradient(X, y, W, C):
    """∇ of (1/m) Σ ℓᵢ + ½‖W‖²/(C·m) with respect to W (no intercept), binary when W has one row."""
    m = X.shape[0]
    if W.shape[0] == 1:
        r = (expit(X @ W[0]) - y) / m
        return X.T @ r + W[0] / (C * m)
    R = (softmax(X @ W.T, axis=1) - np.eye(W.shape[0])[y]) / m
    return (R.T @ X + W / (C * m)).ravel()


def fit(name, C):
    X, y = load(name)
    X = StandardScaler().fit_transform(X)
    # Binary: the plain logistic loss (multi_class="multinomial" would fit a two-row softmax, another penalty),
    # by newton-cholesky (exact Hessian; newton-cg stops ~1e-8 short on breast cancer at C = 1).
    binary = y.max() == 1
    model = LogisticRegression(C=C, fit_intercept=False, solver="newton-cholesky" if binary else "newton-cg", tol=1e-14 if binary else 1e-12,
                               max_iter=10_000, multi_class="auto" if binary else "multinomial").fit(X, y)
    g = gradient(X, y, model.coef_, C)
    assert np.abs(model.intercept_).max() == 0
    return {
        "C": C,
        "coef": model.coef_.tolist(),
        "gradient_inf_norm": float(np.abs(g).max()),
        "proba": model.predict_proba(X).ravel().tolist(),
    }


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


X, y = load("breast_cancer.csv")
columns = [0, 1, 4, 8]
logit = sm.Logit(y.astype(float), X[:, columns]).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
assert logit.mle_retvals["converged"]
ci = np.asarray(logit.conf_int(alpha=0.05))

result = {
    "sklearn_version": sklearn.__version__,
    "statsmodels_version": statsmodels.__version__,
    "breast_cancer": [fit("breast_cancer.csv", C) for C in (1.0, 0.1)],
    "iris": [fit("iris.csv", C) for C in (1.0, 0.1)],
    "logit_no_constant": {
        "columns": columns,
        "params": floats(logit.params), "bse": floats(logit.bse), "z": floats(logit.tvalues), "pvalues": floats(logit.pvalues),
        "conf_int_lower": floats(ci[:, 0]), "conf_int_upper": floats(ci[:, 1]),
        "llf": float(logit.llf), "llnull": float(logit.llnull), "df_model": float(logit.df_model), "df_resid": float(logit.df_resid),
    },
}
with open(os.path.join(here, "..", "no_intercept_sklearn.json"), "w") as f:
    json.dump(result, f, indent=1)
for name in ("breast_cancer", "iris"):
    print(name, [r["gradient_inf_norm"] for r in result[name]])
print("logit params", result["logit_no_constant"]["params"], "df_model", result["logit_no_constant"]["df_model"])
