"""Reference L1 regularisation path for tests/TorchLogistic.Tests/Training/RegularizationPathTests.cs.

Run with scikit-learn 1.2.1:  /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/regularization_path_sklearn.py
Writes tests/TorchLogistic.Tests/Fixtures/regularization_path_sklearn.json.

Data: the library's embedded breast-cancer CSV, all 569 rows, standardised with the population standard deviation
(as StandardScaler; the loader is solver_references.py's).
- l1_min_c: sklearn.svm.l1_min_c(X, y, loss="log") -- the C below which the L1 penalty zeroes every coefficient.
- path: at C = 0.99 * l1_min_c the closed form (every coefficient 0, intercept log(p/(1-p)) with p the share of
  class 1; saga stops there after a few epochs with the intercept 1e-3 off); above l1_min_c,
  LogisticRegression(penalty="l1", solver="saga", tol=1e-12) at C = l1_min_c * factor. Each is certified against
  TorchLogistic's objective (F/(C*m) scaling, unpenalised intercept) by solver_references.certify: grad_inf is the
  largest entry of the prox-gradient mapping, newton_step_rel the reference's relative distance to the exact optimum
  to second order, zero_margin how far the zero coefficients are from leaving zero (lambda1 - max |grad_j|).
"""
import json
import os
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import l1_min_c

from solver_references import HERE, certify, load

FACTORS = (0.99, 1.5, 4.0, 20.0)


def main():
    x, y = load()
    m, d = x.shape
    c_min = float(l1_min_c(x, y, loss="log"))
    # The same value from its definition for an unpenalised intercept: 1 / max_j |sum_i (y_i - mean(y)) x_ij|.
    c_min_direct = 1.0 / np.abs((y - y.mean()) @ x).max()
    print(f"l1_min_c = {c_min:.17g} (direct {c_min_direct:.17g})")
    steps = []
    for factor in FACTORS:
        C = c_min * factor
        start = time.time()
        if factor < 1:
            share = y.mean()
            theta, n_iter, how = np.concatenate([np.zeros(d), [np.log(share / (1 - share))]]), 0, "closed form"
        else:
            model = LogisticRegression(penalty="l1", C=C, solver="saga", tol=1e-12, max_iter=2_000_000)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(x, y)
            theta, n_iter, how = np.concatenate([model.coef_.ravel(), model.intercept_]), int(model.n_iter_[0]), "saga"
        cert = certify(x, y, np.ones(m), theta, 1.0 / (C * m), 0.0)
        zeros = int((theta[:d] == 0).sum())
        steps.append({"factor": factor, "C": C, "reference": how, "n_iter": n_iter, "seconds": round(time.time() - start, 2),
                      "n_zeros": zeros, "coef": theta[:d].tolist(), "intercept": float(theta[d]), **cert})
        print(f"C = {factor} * l1_min_c ({how}): n_iter={n_iter} zeros={zeros} grad_inf={cert['grad_inf']:.2e} "
              f"newton_step_rel={cert['newton_step_rel']:.2e} zero_margin={cert['zero_margin']}")
    out = {
        "generator": "tests/TorchLogistic.Tests/Fixtures/scripts/regularization_path_sklearn.py",
        "sklearn": sklearn.__version__, "numpy": np.__version__,
        "data": "breast-cancer (embedded CSV), all rows, standardised (population std)",
        "l1_min_c": c_min, "l1_min_c_direct": float(c_min_direct), "path": steps,
    }
    with open(os.path.join(HERE, "..", "regularization_path_sklearn.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
