"""Reference permutation importances: scikit-learn's sklearn.inspection.permutation_importance, made exact by indices.

Run with Debian's Python (python3-sklearn 1.2.1):
    /usr/bin/python3 tests/TorchLogistic.Tests/Fixtures/scripts/permutation_importance_sklearn.py
Reads Fixtures/cv_breast_cancer.csv (features x0..x29, already standardised; the fold column is not used) and
writes Fixtures/permutation_importance_sklearn.json.

Random generators differ between numpy and .NET, so the reference is made exact by the permutations: this script
replays permutation_importance's own draws (RandomState(seed) gives one int32 seed; every column reuses a
RandomState of that seed, shuffling one index array in place per repeat and applying it to the already permuted
column, so repeat r's column is the original column at the COMPOSED index array), writes those index arrays, and
scores each permuted copy itself. Before writing, it checks that its importances equal
permutation_importance's output bit for bit (np.array_equal) for every case, so the fixture is scikit-learn's
numbers, and the test gives the same index arrays to PermutationImportance.Compute.

Model: LogisticRegression(C=0.5, lbfgs, tol 1e-10) fitted on every row; its coefficients are written (float repr,
exact) and the test loads them, so both sides score the same model. Cases: accuracy, neg_log_loss (importance =
baseline - permuted of the NEGATED loss: permuted loss - baseline loss), roc_auc (decision_function ranks the rows),
and weighted variants (sample_weight = 1 + (row mod 3)) of log loss and accuracy.
importances_std is np.std (ddof = 0).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import check_scoring

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.normpath(os.path.join(here, ".."))

data = np.genfromtxt(os.path.join(fixtures, "cv_breast_cancer.csv"), delimiter=",", names=True)
names = [n for n in data.dtype.names if n.startswith("x")]
X = np.column_stack([data[n] for n in names]).astype(np.float64)
y = data["label"].astype(int)
n = X.shape[0]
weight = 1.0 + (np.arange(n) % 3)

clf = LogisticRegression(C=0.5, solver="lbfgs", tol=1e-10, max_iter=10000).fit(X, y)

SEED = 42
REPEATS = 5


def permutations(seed, repeats, rows):
    """The composed index arrays permutation_importance applies to a column, one per repeat."""
    random_state = np.random.RandomState(seed)
    random_seed = random_state.randint(np.iinfo(np.int32).max + 1)
    inner = np.random.RandomState(random_seed)
    shuffling = np.arange(rows)
    composed = np.arange(rows)
    result = []
    for _ in range(repeats):
        inner.shuffle(shuffling)
        composed = composed[shuffling]
        result.append(composed.copy())
    return result


perms = permutations(SEED, REPEATS, n)
cases = []
for scoring, weighted in [("accuracy", False), ("neg_log_loss", False), ("roc_auc", False), ("neg_log_loss", True), ("accuracy", True)]:
    scorer = check_scoring(clf, scoring=scoring)
    sw = weight if weighted else None
    kwargs = {} if sw is None else {"sample_weight": sw}
    baseline = scorer(clf, X, y, **kwargs)
    importances = np.empty((X.shape[1], REPEATS))
    for j in range(X.shape[1]):
        for r, p in enumerate(perms):
            Xp = X.copy()
            Xp[:, j] = X[p, j]
            importances[j, r] = baseline - scorer(clf, Xp, y, **kwargs)
    theirs = permutation_importance(clf, X, y, scoring=scoring, n_repeats=REPEATS, random_state=SEED, sample_weight=sw)
    assert np.array_equal(theirs.importances, importances), (scoring, weighted, np.abs(theirs.importances - importances).max())
    assert np.array_equal(theirs.importances_mean, np.mean(importances, axis=1))
    assert np.array_equal(theirs.importances_std, np.std(importances, axis=1))
    cases.append({
        "scoring": scoring.replace("neg_", ""),
        "weighted": weighted,
        "baseline_score": float(baseline),
        "importances": importances.tolist(),
        "importances_mean": theirs.importances_mean.tolist(),
        "importances_std": theirs.importances_std.tolist(),
    })

out = {
    "source": "scripts/permutation_importance_sklearn.py; data cv_breast_cancer.csv (every row, x0..x29)",
    "sklearn_version": sklearn.__version__,
    "numpy_version": np.__version__,
    "feature_names": names,
    "classes": ["0", "1"],
    "coef": clf.coef_[0].tolist(),
    "intercept": float(clf.intercept_[0]),
    "seed": SEED,
    "repeats": REPEATS,
    "sample_weight": "1 + (row index mod 3)",
    "permutations": [p.tolist() for p in perms],
    "cases": cases,
}
with open(os.path.join(fixtures, "permutation_importance_sklearn.json"), "w") as f:
    json.dump(out, f)
print("wrote permutation_importance_sklearn.json;", len(cases), "cases match permutation_importance bit for bit")
