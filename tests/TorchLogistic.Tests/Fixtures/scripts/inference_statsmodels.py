"""Records statsmodels' Logit / MNLogit inference and scipy's special functions for the Inference tests.

Run with Debian's Python (python3-statsmodels 0.13.5, python3-scipy 1.10.1):
    /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/inference_statsmodels.py
Writes tests/TorchLogistic.Tests/Fixtures/inference_statsmodels.json and special_functions_scipy.json.
"""
import json
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special, stats

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", "..", "..", ".."))


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def report(r):
    ci = np.asarray(r.conf_int(alpha=0.05))
    return {
        "params": floats(r.params), "bse": floats(r.bse), "z": floats(r.tvalues), "pvalues": floats(r.pvalues),
        "conf_int_lower": floats(ci[..., 0]), "conf_int_upper": floats(ci[..., 1]),
        "llf": float(r.llf), "llnull": float(r.llnull), "prsquared": float(r.prsquared), "llr": float(r.llr),
        "llr_pvalue": float(r.llr_pvalue), "df_model": float(r.df_model), "df_resid": float(r.df_resid),
        "nobs": float(r.nobs),
        # The table for reference, without its Date/Time lines so that the fixture is reproducible.
        "summary": "\n".join(line for line in str(r.summary()).splitlines() if not line.startswith(("Date:", "Time:"))),
    }


# Breast cancer (scikit-learn's copy, shipped in the library): y = 1 is "benign", as in the library.
data = np.loadtxt(os.path.join(root, "src", "TorchLogistic", "Data", "Builtin", "breast_cancer.csv"), delimiter=",", skiprows=1)
# mean radius, mean texture, mean smoothness, mean symmetry: no separation (Newton converges, finite standard errors).
# statsmodels' summary still prints its "possibly quasi-separation" note: that heuristic fires whenever any fitted
# probability is within 1e-4 of the label, which a good model of these data always has.
columns = [0, 1, 4, 8]
x, y = data[:, columns], data[:, 30]
logit = sm.Logit(y, sm.add_constant(x)).fit(method="newton", tol=1e-10, maxiter=100, disp=0)
assert logit.mle_retvals["converged"]
breast = {"columns": columns, **report(logit)}
breast["odds_ratio"] = floats(np.exp(logit.params))
ci = np.asarray(logit.conf_int())
breast["odds_ratio_lower"], breast["odds_ratio_upper"] = floats(np.exp(ci[:, 0])), floats(np.exp(ci[:, 1]))

# L2-penalised binary fit on the same rows: statsmodels has no penalised standard errors, so the reference is
# numpy's Newton method on  Σℓᵢ + ½‖w‖²/C  (intercept unpenalised) and the inverse of that penalised Hessian.
C = 0.05
xt = np.column_stack([np.ones(len(y)), x])
penalty = np.diag([0.0] + [1.0 / C] * x.shape[1])
beta = np.zeros(xt.shape[1])
for _ in range(100):
    p = 1 / (1 + np.exp(-xt @ beta))
    grad = xt.T @ (p - y) + penalty @ beta
    hess = xt.T @ (xt * (p * (1 - p))[:, None]) + penalty
    step = np.linalg.solve(hess, grad)
    beta -= step
    if np.max(np.abs(step)) < 1e-14:
        break
p = 1 / (1 + np.exp(-xt @ beta))
hess = xt.T @ (xt * (p * (1 - p))[:, None]) + penalty
l2 = {"C": C, "params": floats(beta), "bse": floats(np.sqrt(np.diag(np.linalg.inv(hess)))),
      "llf": float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))}

# Multinomial: three classes, two features, 300 rows from a known softmax model.
rng = np.random.default_rng(7)
xm = rng.normal(0, 1, (300, 2)) * [1.0, 2.0] + [0.5, -1.0]
true_w = np.array([[0, 0, 0], [0.5, 1.0, -0.5], [-0.3, -0.8, 0.7]])  # rows: class; columns: const, x1, x2
z = np.column_stack([np.ones(300), xm]) @ true_w.T
pm = np.exp(z) / np.exp(z).sum(1, keepdims=True)
ym = np.array([rng.choice(3, p=r) for r in pm])
mn = sm.MNLogit(ym, sm.add_constant(xm)).fit(method="newton", tol=1e-10, maxiter=100, disp=0)
assert mn.mle_retvals["converged"]
multinomial = {"features": floats(xm), "labels": [int(v) for v in ym], **report(mn)}
# statsmodels' params are (n_features + 1) × (K − 1): one column per non-reference class; store class-major.
for key in ("params", "bse", "z", "pvalues"):
    multinomial[key] = floats(np.asarray(getattr(mn, {"z": "tvalues"}.get(key, key))).T)
ci = np.asarray(mn.conf_int())  # (K − 1, d + 1, 2): class, coefficient, (lower, upper)
multinomial["conf_int_lower"], multinomial["conf_int_upper"] = floats(ci[..., 0]), floats(ci[..., 1])

with open(os.path.join(here, "..", "inference_statsmodels.json"), "w") as f:
    json.dump({"generator": f"statsmodels {statsmodels.__version__}, numpy {np.__version__}",
               "breast_cancer_logit": breast, "breast_cancer_l2": l2, "mnlogit": multinomial}, f, indent=1)

xs = [-30, -8, -5.5, -2, -1, -0.5, -1e-3, 0, 1e-10, 1e-3, 0.1, 0.4, 0.46875, 0.5, 1, 2, 3, 4, 4.5, 5, 6, 8, 10, 15, 20, 26, 27, 30]
ps = [1e-300, 1e-50, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]
chi = [(0.5, 1), (1, 1), (3.84, 1), (10, 1), (100, 1), (700, 1), (2, 2), (5, 3), (1, 4), (30, 4), (4, 5), (50, 5), (500, 5),
       (10, 10), (3, 10), (60, 20), (120, 130), (1000, 18), (1e-3, 2), (0, 3)]
gam = [0.5, 1, 1.5, 2, 3.7, 10, 25.5, 100, 1e-3]
special_values = {
    "generator": f"scipy {scipy.__version__}",
    "erfc": [[v, float(special.erfc(v))] for v in xs],
    "norm_cdf": [[v, float(stats.norm.cdf(v))] for v in xs],
    "norm_sf": [[v, float(stats.norm.sf(v))] for v in xs],
    "norm_ppf": [[v, float(stats.norm.ppf(v))] for v in ps],
    "chi2_sf": [[x_, k, float(stats.chi2.sf(x_, k))] for x_, k in chi],
    "gammaln": [[v, float(special.gammaln(v))] for v in gam],
    "gammaincc": [[a, x_, float(special.gammaincc(a, x_))] for a, x_ in [(0.5, 0.5), (1, 3), (2.5, 1), (2.5, 10), (10, 5), (10, 20), (50, 40), (50, 70), (0.1, 1e-3)]],
}
with open(os.path.join(here, "..", "special_functions_scipy.json"), "w") as f:
    json.dump(special_values, f, indent=1)
print("wrote inference_statsmodels.json and special_functions_scipy.json")
