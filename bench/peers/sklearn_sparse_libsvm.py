"""scikit-learn's side of `torchlogistic bench --problem sparse-libsvm`: fit LogisticRegression on the same LIBSVM
file and print one JSON line with the coefficients and timings.

Usage: /usr/bin/python3 sklearn_sparse_libsvm.py FILE N_FEATURES C TOL MAX_ITER
load_svmlight_file(zero_based=False) gives a scipy CSR matrix; LogisticRegression(solver="newton-cg") multiplies by
it sparsely (gradients and Hessian-vector products), as we do. newton-cg, not lbfgs: scikit-learn 1.2's lbfgs also
stops on SciPy's relative-decrease test (factr 1e7), which stops short of an optimum tight enough to compare
coefficients; newton-cg stops only on TOL, the largest gradient entry of its objective C·Σℓ + ½‖w‖² (the caller
passes ours times C·m, so both stop at the same point). Peak RSS is this process's (resource.getrusage, kilobytes on Linux).
"""
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression

path, n_features, c, tol, max_iter = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
start = time.perf_counter()
x, y = load_svmlight_file(path, n_features=n_features, zero_based=False)
loaded = time.perf_counter()
model = LogisticRegression(C=c, solver="newton-cg", tol=tol, max_iter=max_iter).fit(x, y)
fitted = time.perf_counter()
print(json.dumps({
    "sklearn": sklearn.__version__,
    "load_seconds": loaded - start,
    "fit_seconds": fitted - loaded,
    "iterations": int(model.n_iter_[0]),
    "coef": model.coef_.ravel().tolist(),
    "intercept": model.intercept_.tolist(),
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
