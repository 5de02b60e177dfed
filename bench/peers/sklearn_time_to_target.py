"""Times scikit-learn's LogisticRegression(solver="lbfgs") until its objective is within a target.

    /usr/bin/python3 sklearn_time_to_target.py --x X.npy --y y.npy --C 1 --target F [--cap 900] [--tol 1e-12]
                                                [--max-iter 100000]

Run by `torchlogistic bench --peer sklearn` (which writes X.npy and y.npy: the benchmark problem's float64 features,
already standardised where the problem is, and its int64 class indices); prints one JSON object on stdout.

What is timed: the real `LogisticRegression(solver="lbfgs", C=C, tol=tol, max_iter=max_iter).fit(X, y)`, from the
call to fit, with `scipy.optimize.minimize` wrapped so that every evaluation of the objective records (wall time, f)
and the fit stops, by an exception, at the first evaluation whose objective is at most the target, or once the time
cap has passed. Nothing else is changed: scikit-learn's validation, its loss, scipy's L-BFGS-B and its line search
run as they do for a user.

The objective is TorchLogistic's times m. scikit-learn 1.2.1, sklearn/linear_model/_logistic.py,
_logistic_regression_path, solver "lbfgs": `func = LinearModelLoss(base_loss=HalfBinomialLoss() or
HalfMultinomialLoss(n_classes), fit_intercept=True).loss_gradient`, called by `optimize.minimize(func, w0,
method="L-BFGS-B", jac=True, args=(X, target, sample_weight, l2_reg_strength=1/C, n_threads))` with unit sample
weights (only newton-cholesky rescales them to sum 1). sklearn/linear_model/_linear_loss.py, loss_gradient:
`loss = sum_i s_i loss(y_i, X_i @ coef + intercept) + l2_penalty(weights)`, `l2_penalty = 0.5 * l2_reg_strength *
||weights||^2` where weights exclude the intercept (stored last, or in the last column of the (K, d+1) array for
multinomial, raveled in Fortran order). HalfBinomialLoss is log(1 + e^z) - y z and HalfMultinomialLoss is
logsumexp(z) - z_y. So f_sklearn = sum_i l_i + ||W||^2 / (2C) = m * F_TorchLogistic, F = mean loss + ||W||^2/(2 C m),
intercept unpenalised. The script checks this numerically: f0 (at w = 0) must be m*log(2) or m*log(K), and the
objective recomputed here with numpy from the returned coefficients (f_numpy) must equal scikit-learn's own f; the
benchmark recomputes TorchLogistic's F at the same coefficients and compares too.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import scipy
import scipy.optimize
import sklearn
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression


class Stop(Exception):
    """Raised inside the objective to end the fit: the target was reached or time ran out."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def objective_numpy(X, y, coef, intercept, C):
    """f_sklearn recomputed independently: sum of losses + ||W||^2 / (2C)."""
    Z = X @ coef.T + intercept
    if coef.shape[0] == 1:
        z = Z[:, 0]
        loss = np.logaddexp(0.0, z) - y * z
    else:
        loss = logsumexp(Z, axis=1) - Z[np.arange(len(y)), y]
    return float(loss.sum() + 0.5 / C * np.sum(coef * coef))


def blas_threads():
    try:
        from threadpoolctl import threadpool_info
        return [{"api": p.get("internal_api"), "threads": p.get("num_threads")} for p in threadpool_info()]
    except ImportError:
        return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--x", required=True, help="features, float64 .npy (m, d)")
    ap.add_argument("--y", required=True, help="class indices 0..K-1, integer .npy (m,)")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--target", type=float, required=True, help="stop once F = f_sklearn / m is at most this")
    ap.add_argument("--cap", type=float, default=900.0, help="time cap in seconds (default 900)")
    ap.add_argument("--tol", type=float, default=1e-12, help="LogisticRegression's tol (gtol of L-BFGS-B); tiny so that the target, not tol, stops it")
    ap.add_argument("--max-iter", type=int, default=100000)
    a = ap.parse_args()

    X = np.ascontiguousarray(np.load(a.x), dtype=np.float64)
    y = np.load(a.y).astype(np.int64)
    m = X.shape[0]
    n_classes = int(y.max()) + 1
    state = {"evaluations": 0, "iterations": 0, "best_f": math.inf, "best_w": None, "f0": None, "seconds_to_target": None, "start": None}
    original = scipy.optimize.minimize

    def minimize(fun, x0, *args, **kwargs):
        def timed(w, *fargs):
            f, g = fun(w, *fargs)
            elapsed = time.perf_counter() - state["start"]
            state["evaluations"] += 1
            if state["f0"] is None:
                state["f0"] = float(f)
            if f < state["best_f"]:
                state["best_f"] = float(f)
                state["best_w"] = np.array(w, copy=True)
            if f <= a.target * m:
                state["seconds_to_target"] = elapsed
                raise Stop("reached")
            if elapsed > a.cap:
                raise Stop("time cap")
            return f, g

        def count_iteration(_):
            state["iterations"] += 1

        kwargs["callback"] = count_iteration
        return original(timed, x0, *args, **kwargs)

    model = LogisticRegression(solver="lbfgs", C=a.C, tol=a.tol, max_iter=a.max_iter)
    scipy.optimize.minimize = minimize
    try:
        state["start"] = time.perf_counter()
        model.fit(X, y)
        stop = "scikit-learn stopped on its own criterion (tol or max_iter) before the target"
    except Stop as e:
        stop = e.reason
    finally:
        scipy.optimize.minimize = original
    seconds = time.perf_counter() - state["start"]

    w = state["best_w"]
    d = X.shape[1]
    if n_classes == 2:
        coef, intercept = w[:d].reshape(1, d), w[d:].copy()
    else:
        full = w.reshape((n_classes, -1), order="F")
        coef, intercept = full[:, :d], full[:, d].copy()
    f_numpy = objective_numpy(X, y, coef, intercept, a.C)
    k = 2 if n_classes == 2 else n_classes
    json.dump({
        "peer": "scikit-learn LogisticRegression(solver='lbfgs')",
        "sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
        "python": sys.version.split()[0],
        "blas_threads": blas_threads(),
        "n_samples": m, "n_features": d, "n_classes": n_classes, "C": a.C, "tol": a.tol, "max_iter": a.max_iter, "cap_seconds": a.cap,
        "target": a.target,
        "reached": state["seconds_to_target"] is not None,
        "stop": stop,
        "seconds_to_target": state["seconds_to_target"],
        "seconds": seconds,
        "evaluations": state["evaluations"],
        "iterations": state["iterations"],
        "objective": state["best_f"] / m,
        "objective_numpy": f_numpy / m,
        "objective_at_zero": state["f0"] / m,
        "objective_at_zero_expected": math.log(k),
        "coef": coef.tolist(),
        "intercept": intercept.tolist(),
    }, sys.stdout)
    sys.stdout.write("\n")


main()
