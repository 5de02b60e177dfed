"""5-fold x 10-C cross-validation on digits: TorchLogistic's `cv` against scikit-learn's LogisticRegressionCV, same
folds (PredefinedSplit) and grid, in the same run. Prints wall times and the largest fold-score difference.

Run:  timeout 600 /usr/bin/python3 benchmarks/cv_digits_vs_sklearn.py [path/to/torchlogistic]
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import PredefinedSplit, StratifiedKFold

exe = sys.argv[1] if len(sys.argv) > 1 else "src/TorchLogistic.Cli/bin/Release/net10.0/torchlogistic"
X, y = load_digits(return_X_y=True)
X = X / 16.0
fold = np.empty(len(y), dtype=int)
for f, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)):
    fold[test] = f
Cs = np.logspace(-4, 4, 10)
work = tempfile.mkdtemp()
csv = os.path.join(work, "digits.csv")
with open(csv, "w") as out:
    out.write(",".join([f"p{j}" for j in range(64)] + ["fold", "label"]) + "\n")
    for row, f, label in zip(X, fold, y):
        out.write(",".join([repr(float(v)) for v in row] + [str(f), str(label)]) + "\n")

start = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    ref = LogisticRegressionCV(Cs=Cs, cv=PredefinedSplit(fold), tol=1e-6, max_iter=10000, scoring="neg_log_loss").fit(X, y)
sk = time.perf_counter() - start

start = time.perf_counter()
subprocess.run([exe, "cv", "--data", csv, "--label", "label", "--fold-column", "fold", "--test-fraction", "0",
                "--tol", "1e-6", "--out", os.path.join(work, "out"), "--quiet"], check=True)
tl = time.perf_counter() - start
ours = json.load(open(os.path.join(work, "out", "cv.json")))
theirs = -next(iter(ref.scores_.values()))
diff = np.abs(np.array(ours["fold_scores"]) - theirs).max()
print(f"digits 5-fold x 10 C: scikit-learn {sk:.2f} s, TorchLogistic {tl:.2f} s (whole CLI run incl. refit and plots), "
      f"speed-up {sk / tl:.1f}x; best C {ref.C_[0]:.4g} vs {ours['best_C']:.4g}; max |fold score diff| {diff:.2e}")
