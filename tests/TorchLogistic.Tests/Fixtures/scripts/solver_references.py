"""Reference optima for the solver tests (tests/TorchLogistic.Tests/Optim/SolverReferenceTests.cs).

Run with scikit-learn 1.2.1:  /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/solver_references.py
Writes tests/TorchLogistic.Tests/Fixtures/solver_references.json.

Data: the library's embedded breast-cancer CSV (scikit-learn's copy), all 569 rows, standardised with the
population standard deviation (StandardScaler). Solvers: 'newton-cholesky' for L2 (exact Newton, converges to
machine precision) and 'saga' for L1 and elastic net, both at tol=1e-12 -- not the default 'lbfgs', which stops
5e-5 to 2e-4 relative away from the optimum on this problem even at tol=1e-12.

scikit-learn minimises C*sum_i s_i*l_i + P(W); TorchLogistic minimises the same divided by C*m, so the optimum
is the same point. Each reference is certified against TorchLogistic's objective here, in float64 numpy:
- grad_inf: the largest entry of the prox-gradient mapping (the gradient for L2) at the reference;
- newton_step_rel: ||H^-1 r||_inf / ||theta||_inf, the Newton step to the exact optimum (for L1/elastic net on
  the non-zero coefficients with their signs fixed, after checking |grad_j| < lambda1 on the zeros), i.e. the
  reference's relative distance from the exact optimum to second order.
"""
import json
import os
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CSV = os.path.join(ROOT, "src", "TorchLogistic", "Data", "Builtin", "breast_cancer.csv")


def load():
    with open(CSV) as f:
        head = f.readline().strip().split(",")
        m, d = int(head[0]), int(head[1])
        rows = np.array([[float(v) for v in line.split(",")] for line in f if line.strip()])
    assert rows.shape == (m, d + 1)
    x, y = rows[:, :d], rows[:, d].astype(int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)  # population standard deviation, as StandardScaler
    return (x - mean) / scale, y


def sample_weights(y, m):
    """The weighted case: s_i = (1 + 0.5*(i mod 3)) * balanced class weight of y_i."""
    sw = 1.0 + 0.5 * (np.arange(m) % 3)
    counts = np.bincount(y, minlength=2)
    cw = m / (2 * counts)
    return sw, cw, sw * cw[y]


def objective_parts(x, y, s, theta, l1, l2):
    """f, grad f and Hessian of TorchLogistic's smooth part; theta = [w; b]."""
    m, d = x.shape
    xt = np.hstack([x, np.ones((m, 1))])
    z = xt @ theta
    p = 1 / (1 + np.exp(-z))
    loss = np.logaddexp(0, z) - y * z
    w = theta[:d]
    f = (s * loss).sum() / m + 0.5 * l2 * w @ w
    g = xt.T @ (s * (p - y)) / m
    g[:d] += l2 * w
    h = xt.T @ (xt * (s * p * (1 - p))[:, None]) / m
    h[np.arange(d), np.arange(d)] += l2
    return f + l1 * np.abs(w).sum(), g, h


def certify(x, y, s, theta, l1, l2):
    m, d = x.shape
    F, g, h = objective_parts(x, y, s, theta, l1, l2)
    mapping = g.copy()
    if l1 > 0:
        v = theta[:d] - g[:d]
        prox = np.sign(v) * np.maximum(np.abs(v) - l1, 0)
        mapping[:d] = theta[:d] - prox
    active = np.ones(d + 1, bool)
    zero_margin = None
    r = g.copy()
    if l1 > 0:
        zeros = theta[:d] == 0
        active[:d] = ~zeros
        r[:d] += l1 * np.sign(theta[:d])
        zero_margin = float(l1 - np.abs(g[:d][zeros]).max()) if zeros.any() else None
    ha = h[np.ix_(active, active)]
    step = np.linalg.solve(ha, r[active])
    return {
        "objective": float(F),
        "grad_inf": float(np.abs(mapping).max()),
        "newton_step_rel": float(np.abs(step).max() / np.abs(theta).max()),
        "zero_margin": zero_margin,
    }


def fit(x, y, penalty, C, solver, l1_ratio=None, sample_weight=None, class_weight=None, max_iter=1000):
    model = LogisticRegression(penalty=penalty, C=C, solver=solver, tol=1e-12, max_iter=max_iter,
                               l1_ratio=l1_ratio, class_weight=class_weight)
    start = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y, sample_weight=sample_weight)
    return np.concatenate([model.coef_.ravel(), model.intercept_]), int(model.n_iter_[0]), time.time() - start


def main():
    x, y = load()
    m, d = x.shape
    ones = np.ones(m)
    sw, cw, s_weighted = sample_weights(y, m)
    cases = []

    def add(name, penalty, C, solver, l1_ratio=None, weighted=False, max_iter=1000):
        s = s_weighted if weighted else ones
        theta, n_iter, seconds = fit(x, y, penalty, C, solver, l1_ratio,
                                     sample_weight=sw if weighted else None,
                                     class_weight={0: cw[0], 1: cw[1]} if weighted else None, max_iter=max_iter)
        share1 = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio}[penalty]
        l1 = share1 / (C * m)
        l2 = (1 - share1) / (C * m)
        cert = certify(x, y, s, theta, l1, l2)
        cases.append({
            "name": name, "penalty": penalty, "C": C, "l1_ratio": l1_ratio if l1_ratio is not None else 0.5,
            "weighted": weighted, "solver": solver, "n_iter": n_iter, "seconds": round(seconds, 2),
            "coef": theta[:d].tolist(), "intercept": float(theta[d]), **cert,
        })
        print(f"{name}: {solver} n_iter={n_iter} ({seconds:.1f}s) F={cert['objective']:.17g} "
              f"grad_inf={cert['grad_inf']:.2e} newton_step_rel={cert['newton_step_rel']:.2e} zeros={int((theta[:d] == 0).sum())}")

    for C in (0.1, 1.0, 10.0):
        add(f"l2_C{C:g}", "l2", C, "newton-cholesky")
    add("l2_C1_weighted", "l2", 1.0, "newton-cholesky", weighted=True)
    add("l1_C0.1", "l1", 0.1, "saga", max_iter=2_000_000)
    add("elasticnet_C0.1", "elasticnet", 0.1, "saga", l1_ratio=0.5, max_iter=2_000_000)

    out = {
        "generator": "tests/TorchLogistic.Tests/Fixtures/scripts/solver_references.py",
        "sklearn": sklearn.__version__, "numpy": np.__version__,
        "data": "breast-cancer (embedded CSV), all rows, standardised (population std)",
        "sample_weight_rule": "weighted cases: sample_weight_i = 1 + 0.5*(i mod 3), class_weight balanced = m/(2*n_k)",
        "cases": cases,
    }
    with open(os.path.join(HERE, "..", "solver_references.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
