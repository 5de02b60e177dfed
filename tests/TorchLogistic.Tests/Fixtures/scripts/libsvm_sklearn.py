"""LIBSVM fixtures and scikit-learn references for the sparse path (tests/.../Data/LibSvmFileTests.cs,
Training/SparseTrainingTests.cs).

Run with Debian's python (scikit-learn 1.2.1, scipy): /usr/bin/python3 libsvm_sklearn.py  (from Fixtures/scripts).
Writes ../libsvm/*.svm and ../libsvm_sklearn.json:
- roundtrip.svm: dump_svmlight_file(zero_based=False) of a seeded 40 × 25 sparse matrix with a comment and query ids;
  "roundtrip" holds load_svmlight_file's dense matrix and labels of that file.
- binary.svm (labels -1/+1) and multiclass.svm (labels 1, 2, 10): seeded 400 × 60 sparse problems at 8 % density;
  LogisticRegression(newton-cg, tol 1e-12) coefficients and intercepts on load_svmlight_file of each file: binary
  C = 1, binary with StandardScaler(with_mean=False) at C = 0.5 (coefficients in the scaled space), multinomial C = 0.5.
"""
import json
import os

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.datasets import dump_svmlight_file, load_svmlight_file
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "libsvm")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261201)


def sparse(m, n, density):
    x = sp.random(m, n, density=density, format="csr", random_state=np.random.RandomState(rng.integers(1 << 31)),
                  data_rvs=lambda k: rng.normal(size=k) * 2)
    x.sort_indices()
    return x


# Round trip: comment header, query ids, negative and fractional values.
x = sparse(40, 25, 0.15)
y = rng.integers(0, 3, size=40).astype(float) - 1
qid = np.repeat(np.arange(1, 9), 5)
path = os.path.join(out, "roundtrip.svm")
dump_svmlight_file(x, y, path, zero_based=False, comment="written by scikit-learn's dump_svmlight_file", query_id=qid)
xl, yl = load_svmlight_file(path, zero_based=False)
result = {
    "sklearn": sklearn.__version__,
    "roundtrip": {"rows": xl.shape[0], "columns": xl.shape[1], "nnz": int(xl.nnz), "x": xl.toarray().ravel().tolist(), "y": yl.tolist()},
}


def fit(path, c, scale=False, multinomial=False):
    x, y = load_svmlight_file(path, zero_based=False)
    if scale:
        x = StandardScaler(with_mean=False).fit_transform(x)
    model = LogisticRegression(C=c, solver="newton-cg", tol=1e-12, max_iter=10000,
                               multi_class="multinomial" if multinomial else "auto").fit(x, y)
    # Certify the optimum: the largest entry of the gradient of C·Σ log-loss + ½‖W‖² at sklearn's solution.
    xd = x.toarray()
    classes = model.classes_
    if len(classes) == 2:
        t = (y == classes[1]).astype(float)
        pr = 1 / (1 + np.exp(-(xd @ model.coef_[0] + model.intercept_[0])))
        r = (pr - t)[:, None]
    else:
        t = (y[:, None] == classes[None, :]).astype(float)
        zz = xd @ model.coef_.T + model.intercept_
        pr = np.exp(zz - zz.max(1, keepdims=True))
        pr /= pr.sum(1, keepdims=True)
        r = pr - t
    grad = np.concatenate([(c * r.T @ xd + model.coef_).ravel(), c * r.sum(0)])
    return {"C": c, "max_abs_gradient": float(np.abs(grad).max()), "classes": model.classes_.tolist(), "coef": model.coef_.ravel().tolist(), "intercept": model.intercept_.tolist(),
            "n_features": x.shape[1], "proba_first_rows": model.predict_proba(x[:5]).ravel().tolist()}


m, n = 400, 60
x = sparse(m, n, 0.08)
w = rng.normal(size=n)
z = x @ w
yb = np.where(rng.random(m) < 1 / (1 + np.exp(-z)), 1, -1)
path = os.path.join(out, "binary.svm")
dump_svmlight_file(x, yb, path, zero_based=False)
result["binary"] = fit(path, 1.0)
result["binary_scaled"] = fit(path, 0.5, scale=True)

wk = rng.normal(size=(3, n))
zk = np.asarray(x @ wk.T)
p = np.exp(zk - zk.max(1, keepdims=True))
p /= p.sum(1, keepdims=True)
labels = np.array([1, 2, 10])
yk = labels[[rng.choice(3, p=row) for row in p]]
path = os.path.join(out, "multiclass.svm")
dump_svmlight_file(x, yk, path, zero_based=False)
result["multiclass"] = fit(path, 0.5, multinomial=True)

with open(os.path.join(here, "..", "libsvm_sklearn.json"), "w") as f:
    json.dump(result, f)
    f.write("\n")
