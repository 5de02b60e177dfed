"""Fixture owlqn_l1_optimum.json: the L1 optimum of breast cancer (standardised with the population std, C = 1, i.e.
mean log loss + ‖w‖₁/(C·n), intercept unpenalised), found independently of TorchLogistic: scikit-learn's saga at
tol 1e-12, then Newton steps on its non-zero coefficients (and the intercept) until the reduced gradient is at
rounding level. Prints the smallest curvature on the free set (why a criterion of 1e-12 is not 1e-10 in θ).
Run with Debian's python: /usr/bin/python3 owlqn_l1_optimum.py > ../owlqn_l1_optimum.json"""
import json
import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

X, y = load_breast_cancer(return_X_y=True)
Xs = (X - X.mean(0)) / X.std(0)
n, d = Xs.shape
C = 1.0
lam = 1 / (C * n)
fit = LogisticRegression(penalty="l1", C=C, solver="saga", tol=1e-12, max_iter=200000).fit(Xs, y)
theta = np.concatenate([fit.coef_[0], fit.intercept_])
Z = np.hstack([Xs, np.ones((n, 1))])


def gradient_hessian(t):
    p = 1 / (1 + np.exp(-(Z @ t)))
    return Z.T @ (p - y) / n, (Z * (p * (1 - p))[:, None]).T @ Z / n


free = np.union1d(np.flatnonzero(theta[:d] != 0), [d])
sign = np.sign(theta)
sign[d] = 0
for _ in range(10):
    g, H = gradient_hessian(theta)
    theta[free] -= np.linalg.solve(H[np.ix_(free, free)], g[free] + lam * sign[free])
g, H = gradient_hessian(theta)
zeros = np.setdiff1d(np.arange(d), free)
assert np.all(np.sign(theta[free[:-1]]) == sign[free[:-1]]), "a coefficient changed sign"
assert np.abs(g[zeros]).max() < lam, "a zero coefficient violates optimality"
curvature = np.linalg.eigvalsh(H[np.ix_(free, free)])
print(json.dumps({
    "generator": "tests/TorchLogistic.Tests/Fixtures/scripts/owlqn_l1_optimum.py",
    "sklearn": sklearn.__version__,
    "data": "breast-cancer, standardised (population std), penalty l1, C = 1",
    "reduced_gradient": float(np.abs(g[free] + lam * sign[free]).max()),
    "smallest_free_curvature": float(curvature.min()),
    "saga_distance_rel": float(np.abs(np.concatenate([fit.coef_[0], fit.intercept_]) - theta).max() / np.abs(theta).max()),
    "coef": theta[:d].tolist(),
    "intercept": float(theta[d]),
}, indent=1))
