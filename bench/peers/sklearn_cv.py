"""scikit-learn's LogisticRegressionCV on the rows torchlogistic bench --problem cv-* wrote, with its fold assignment.

Run by src/TorchLogistic.Cli/Bench/CrossValidationBench.cs (it kills this script after --peer-timeout seconds):
  /usr/bin/python3 sklearn_cv.py --x X.npy --y y.npy --fold fold.npy --Cs c1,c2,... --solver lbfgs --tol 1e-10 --max-iter 10000
Fits LogisticRegressionCV(Cs, cv=PredefinedSplit(fold), solver, tol, max_iter, scoring="neg_log_loss", refit=False)
(multinomial for more than two classes, the default of lbfgs and newton-cg); prints one JSON object: the fit's wall
and process CPU seconds (the fit only: loading excluded), fold_scores (folds x Cs, held-out log loss as a loss), the C of the best mean score (refit=True's), the largest n_iter_ and the
BLAS threads. refit=False: the bench times the search, not the final fit.
"""
import argparse
import json
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import PredefinedSplit

try:
    from threadpoolctl import threadpool_info
except ImportError:  # pragma: no cover
    threadpool_info = lambda: []

parser = argparse.ArgumentParser()
for name in ("--x", "--y", "--fold", "--Cs", "--solver"):
    parser.add_argument(name, required=True)
parser.add_argument("--tol", type=float, required=True)
parser.add_argument("--max-iter", type=int, default=10000)
a = parser.parse_args()
X, y, fold = np.load(a.x), np.load(a.y), np.load(a.fold)
Cs = [float(c) for c in a.Cs.split(",")]
start, cpu = time.perf_counter(), time.process_time()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = LogisticRegressionCV(Cs=Cs, cv=PredefinedSplit(fold), solver=a.solver, tol=a.tol, max_iter=a.max_iter,
                                 scoring="neg_log_loss", refit=False).fit(X, y)
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
scores = -next(iter(model.scores_.values()))
print(json.dumps({
    "sklearn": sklearn.__version__, "seconds": seconds, "cpu_seconds": cpu_seconds, "fold_scores": scores.tolist(),
    # refit=False averages the folds' own best C in C_; the best mean score's C is what refit=True would use.
    "C": float(Cs[int(np.argmin(scores.mean(axis=0)))]),
    "max_n_iter": int(np.max(model.n_iter_)), "warnings": len(caught),
    "blas_threads": [{"api": t.get("internal_api"), "threads": t.get("num_threads")} for t in threadpool_info()],
}))
