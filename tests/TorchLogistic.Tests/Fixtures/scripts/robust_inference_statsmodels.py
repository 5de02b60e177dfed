"""Records statsmodels 0.13.5 references for robust covariances, marginal effects and prediction intervals.

Run with Debian's Python (python3-statsmodels 0.13.5):
    /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/robust_inference_statsmodels.py
Writes tests/TorchLogistic.Tests/Fixtures/robust_inference_statsmodels.json and robust_inference_rows.csv (data included, so that
robust_inference_r.R and the C# tests read the same rows). Covariances are stored row-major, equation-major
(each equation [const, features]), as the library reports them.
"""
import json
import os
import warnings

import numpy as np
import statsmodels
import statsmodels.api as sm
from scipy import stats

warnings.simplefilter("ignore")
here = os.path.dirname(os.path.abspath(__file__))


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


# Synthetic data: two continuous features and one 0/1 feature; 400 rows; 13 clusters of consecutive rows.
rng = np.random.default_rng(19)
n = 400
x1 = rng.normal(0.3, 1.0, n)
x2 = rng.normal(-0.5, 2.0, n)
d = (rng.uniform(size=n) < 0.4).astype(float)
x = np.column_stack([x1, x2, d])
X = sm.add_constant(x)
# Cluster effect: a shared shift per group makes the cluster covariance differ from the others.
groups = np.arange(n) // 31
shift = rng.normal(0, 0.8, groups.max() + 1)[groups]
eta = -0.4 + 0.9 * x1 - 0.3 * x2 + 0.7 * d + shift
y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
eta3 = np.column_stack([np.zeros(n), 0.2 + 0.8 * x1 - 0.2 * x2 + 0.5 * d + shift, -0.3 - 0.5 * x1 + 0.4 * x2 - 0.6 * d])
p3 = np.exp(eta3) / np.exp(eta3).sum(1, keepdims=True)
y3 = np.array([rng.choice(3, p=r) for r in p3])
weights = 1.0 + np.arange(n) % 3

out = {"generator": f"statsmodels {statsmodels.__version__}, numpy {np.__version__}",
       "features": floats(x), "names": ["x1", "x2", "d"], "labels": [int(v) for v in y], "labels3": [int(v) for v in y3],
       "groups": [int(v) for v in groups], "weights": floats(weights)}

logit = sm.Logit(y, X)
mn = sm.MNLogit(y3, X)
fit_kw = dict(method="newton", tol=1e-12, maxiter=100, disp=0)
base = logit.fit(**fit_kw)
base3 = mn.fit(**fit_kw)
out["logit_params"] = floats(base.params)
out["mnlogit_params"] = floats(np.asarray(base3.params).T)


def cov(r, multinomial=False):
    c = np.asarray(r.cov_params())
    if multinomial:
        # statsmodels orders MNLogit's params column-major (params.ravel('F')): equation-major, as ours.
        pass
    return floats(c)


out["logit_cov"] = {}
out["mnlogit_cov"] = {}
for ct, kw in [("nonrobust", {}), ("HC0", {}), ("cluster", {"groups": groups})]:
    out["logit_cov"][ct] = cov(logit.fit(cov_type=ct, cov_kwds=kw, **fit_kw) if kw else logit.fit(cov_type=ct, **fit_kw))
    out["mnlogit_cov"][ct] = cov(mn.fit(cov_type=ct, cov_kwds=kw, **fit_kw) if kw else mn.fit(cov_type=ct, **fit_kw), True)

# Frequency weights: statsmodels' GLM freq_weights (equal to the rows repeated wᵢ times).
glm_w = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=weights)
out["weighted_params"] = floats(glm_w.fit(tol=1e-13).params)
out["weighted_cov"] = {"HC0": floats(glm_w.fit(cov_type="HC0", tol=1e-13).cov_params())}

def mnlogit_margeff_by_hand(res, at, method, dummy):
    beta = np.asarray(res.params)  # (k, J − 1)
    k = beta.shape[0]
    exog = np.asarray(res.model.exog)
    if at == "mean":
        exog = exog.mean(0, keepdims=True)
    elif at == "median":
        exog = np.median(exog, 0, keepdims=True)
    elif at == "zero":
        exog = np.zeros((1, k))
        exog[0, 0] = 1

    def probabilities(b, rows):
        z = rows @ b
        p = np.exp(z - z.max(1, keepdims=True))
        return p / p.sum(1, keepdims=True)

    def effects(flat):
        b = np.column_stack([np.zeros(k), flat.reshape(-1, k).T])  # (k, J), class 0 the reference
        p = probabilities(b, exog)
        bbar = b @ p.T  # (k, rows)
        dydx = p[:, None, :] * (b[None, :, :] - bbar.T[:, :, None])  # rows × k × J
        if "ey" in method:
            dydx = dydx / p[:, None, :]
        if "ex" in method:
            dydx = dydx * exog[:, :, None]
        if dummy:
            # The 0/1 column (exog column 3) as the change from 0 to 1 (log ratio with eydx).
            lo, hi = exog.copy(), exog.copy()
            lo[:, 3], hi[:, 3] = 0, 1
            p0, p1 = probabilities(b, lo), probabilities(b, hi)
            dydx[:, 3, :] = np.log(p1) - np.log(p0) if "ey" in method else p1 - p0
        return dydx.mean(0)[1:, :].T.ravel()  # class-major, constant dropped

    flat = beta.T.ravel()
    h = 1e-30
    jac = np.array([np.imag(effects(flat + 1j * h * np.eye(len(flat))[i])) / h for i in range(len(flat))]).T
    cov = np.asarray(res.cov_params())
    return {"effect": floats(effects(flat).real), "se": floats(np.sqrt(np.diag(jac @ cov @ jac.T))), "by_hand": True}


# Marginal effects: every at × method (discrete changes: the combinations statsmodels allows), with the 0/1 column as a discrete change (dummy=True) and without.
out["margeff"] = {}
for name, res in [("logit", base), ("mnlogit", base3)]:
    for dummy in (False, True):
        for at in ("overall", "mean", "median", "zero"):
            for method in ("dydx", "eyex", "dyex", "eydx"):
                if dummy and (at in ("median", "zero") or method in ("eyex", "dyex")):
                    continue  # statsmodels allows discrete changes only with dydx/eydx at overall/mean
                key = f"{name}/{at}/{method}/{'dummy' if dummy else 'continuous'}"
                try:
                    m = res.get_margeff(at=at, method=method, dummy=dummy)
                except ValueError:
                    # statsmodels 0.13.5's MNLogit cannot scale by x (eyex, dyex) nor take discrete changes (broadcasting errors): the reference is
                    # then numpy's own delta method with a complex-step Jacobian (mnlogit_margeff_by_hand below).
                    out["margeff"][key] = mnlogit_margeff_by_hand(res, at, method, dummy)
                    continue
                # Logit: (k,); MNLogit: (k, J) features × classes → store class-major.
                eff = np.asarray(m.margeff)
                se = np.asarray(m.margeff_se)
                if eff.ndim == 2:
                    eff, se = eff.T, se.T
                out["margeff"][key] = {"effect": floats(eff), "se": floats(se)}

# Prediction intervals: GLM Binomial get_prediction (delta method on the linear predictor, transformed).
glm = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-13)
new = np.array([[0.0, 0.0, 0.0], [1.5, -2.0, 1.0], [-2.0, 3.0, 0.0], [0.3, -0.5, 1.0]])
frame = glm.get_prediction(sm.add_constant(new, has_constant="add")).summary_frame(alpha=0.05)
out["prediction"] = {"rows": floats(new), "mean": floats(frame["mean"]), "lower": floats(frame["mean_ci_lower"]),
                     "upper": floats(frame["mean_ci_upper"])}

# Wald tests (chi², not F): Logit "x1 = 0, x2 = d" and "2*x1 - x2 = 1" under nonrobust and HC0; MNLogit "x1 = 0"
# in both equations (params in statsmodels' column-major order: equation by equation).
out["wald"] = {}
for ct in ("nonrobust", "HC0"):
    res = logit.fit(cov_type=ct, **fit_kw)
    for text, R, q in [("x1 = 0, x2 = d", [[0, 1, 0, 0], [0, 0, 1, -1]], [0, 0]), ("2*x1 - x2 = 1", [[0, 2, -1, 0]], [1])]:
        t = res.wald_test((np.array(R, float), np.array(q, float)), use_f=False, scalar=True)
        out["wald"][f"logit/{ct}/{text}"] = {"statistic": float(t.statistic), "df": len(q), "p": float(t.pvalue)}
    # statsmodels 0.13.5's MNLogit wald_test flattens params row-major but cov_params column-major (a mismatch), so
    # the multinomial reference is the formula with both column-major: (Rb − q)ᵀ(RVRᵀ)⁻¹(Rb − q).
    res3 = mn.fit(cov_type=ct, **fit_kw)
    b3, v3 = np.asarray(res3.params).ravel("F"), np.asarray(res3.cov_params())
    for text in ("x1 = 0", "c:x2 = b:d"):
        R = np.zeros((2 if text == "x1 = 0" else 1, 8))
        if text == "x1 = 0":
            R[0, 1] = R[1, 5] = 1
        else:
            R[0, 6], R[0, 3] = 1, -1
        rb = R @ b3
        w = float(rb @ np.linalg.solve(R @ v3 @ R.T, rb))
        out["wald"][f"mnlogit/{ct}/{text}"] = {"statistic": w, "df": len(R), "p": float(stats.chi2.sf(w, len(R)))}

# Likelihood-ratio test between nested Logit fits: all three features against x1 alone, AIC and BIC (statsmodels'
# Logit has no compare_lr_test: the statistic is 2(ℓ₁ − ℓ₀) with the difference of df_model).
small = sm.Logit(y, X[:, :2]).fit(**fit_kw)
lr_df = base.df_model - small.df_model
lr = 2 * (base.llf - small.llf)
lr_p = stats.chi2.sf(lr, lr_df)
out["compare"] = {"full": {"llf": float(base.llf), "aic": float(base.aic), "bic": float(base.bic)},
                  "small": {"llf": float(small.llf), "aic": float(small.aic), "bic": float(small.bic)},
                  "lr": float(lr), "p": float(lr_p), "df": float(lr_df)}

# The same rows for robust_inference_r.R (Debian's R has no JSON reader).
np.savetxt(os.path.join(here, "..", "robust_inference_rows.csv"), np.column_stack([x, y, y3, groups, weights]), delimiter=",",
           header="x1,x2,d,y,y3,g,w", comments="", fmt="%.17g")
with open(os.path.join(here, "..", "robust_inference_statsmodels.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote robust_inference_statsmodels.json")
