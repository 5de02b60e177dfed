"""Certifies how far a trained softmax model is from the optimum of its training objective, independently of
TorchLogistic: a Fenchel duality gap computed with numpy from the coefficients in metrics.json.

    /usr/bin/python3 certify_softmax_optimum.py runs/fmnist/metrics.json [--data-dir /usr/share/datasets/fashion-mnist]

Objective (TorchLogistic's, = scikit-learn's divided by C·m), with λ = 1/(C·m):
    P(W, b) = (1/m) Σᵢ [logsumexp(zᵢ) − zᵢ,yᵢ] + (λ/2)‖W‖²,   zᵢ = W xᵢ + b.
For any qᵢ in the probability simplex with Σᵢ (qᵢ − tᵢ) = 0 (tᵢ the one-hot target; the constraint comes from
the unpenalised intercept), weak duality gives P* ≥ D(q) with
    D(q) = (1/m) Σᵢ H(qᵢ) − ‖G‖²/(2λ),   G = (1/m) Σᵢ (qᵢ − tᵢ) xᵢᵀ,   H(q) = −Σₖ qₖ log qₖ.
So P(W, b) − P* ≤ P(W, b) − D(q): a bound, not an estimate. q is the model's own probabilities pᵢ, corrected to
meet the constraint: the residual r = Σᵢ (pᵢ − tᵢ) (= m·∇_b P, tiny near the optimum) is taken off the rows in
proportion to aᵢ = minₖ pᵢₖ, which keeps every qᵢₖ ≥ 0 while ‖r‖∞ ≤ Σᵢ aᵢ.

Works on the built-in fashion-mnist (its 60 000 training rows). Unweighted,
unsmoothed, unstandardised L2 runs only (the script checks).
"""
import argparse
import gzip
import json
import os

import numpy as np
from scipy.special import entr, logsumexp, softmax


def idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(folder, name):
    for candidate in (name + ".gz", name):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    raise SystemExit(f"{folder} has no {name}[.gz]")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("metrics")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    report = json.load(open(a.metrics))
    o = report["options"]
    if report["data"] != "fashion-mnist" or o["model"] != "softmax" or o["penalty"] != "l2" or o["standardize"] \
            or o["class_weight"] or o.get("label_smoothing", 0) != 0:
        raise SystemExit("needs an unweighted, unsmoothed, unstandardised softmax L2 run on fashion-mnist")
    X = idx(find(a.data_dir, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64) / 255
    y = idx(find(a.data_dir, "train-labels-idx1-ubyte")).astype(np.int64)
    W = np.array(report["coef"], dtype=np.float64)
    b = np.array(report["intercept"], dtype=np.float64)
    m, k = X.shape[0], W.shape[0]
    lam = 1.0 / (report["C"] * m)
    T = np.eye(k)[y]

    Z = X @ W.T + b
    primal = float(np.mean(logsumexp(Z, axis=1) - Z[np.arange(m), y]) + 0.5 * lam * np.sum(W * W))
    P = softmax(Z, axis=1)
    grad_W = (P - T).T @ X / m + lam * W
    grad_b = (P - T).sum(0) / m
    grad = np.concatenate([grad_W.ravel(), grad_b])

    r = (P - T).sum(0)
    a_i = P.min(1)
    if np.abs(r).max() > a_i.sum():
        raise SystemExit("too far from the optimum for this certificate (intercept gradient too large)")
    Q = P - np.outer(a_i / a_i.sum(), r)
    assert Q.min() >= 0 and np.allclose(Q.sum(1), 1, atol=1e-12) and np.abs((Q - T).sum(0)).max() < 1e-9
    G = (Q - T).T @ X / m
    dual = float(np.mean(entr(Q).sum(1)) - np.sum(G * G) / (2 * lam))
    gap = primal - dual
    print(json.dumps({
        "metrics_objective": report["objective"],
        "primal_numpy": primal,
        "dual_lower_bound": dual,
        "duality_gap": gap,
        "relative_gap": gap / primal,
        "gradient_inf_norm": float(np.abs(grad).max()),
        "gradient_2_norm": float(np.linalg.norm(grad)),
        "train_accuracy": float(np.mean(P.argmax(1) == y)),
    }, indent=1))


main()
