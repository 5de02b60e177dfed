"""PyTorch's class-weight convention, recorded for LinearModelObjective(convention: WeightConvention.PyTorch).

Softmax: F = CrossEntropyLoss(weight=w, label_smoothing=eps, reduction='mean')(X W^T + b, y) + 0.5*|W|^2/(C*m)
(PyTorch divides by sum_i w[y_i] and weights each class's smoothing term by that class's weight).
Binary: F = BCEWithLogitsLoss(weight=alpha0, pos_weight=alpha1/alpha0, reduction='mean')(X w + b, t) + 0.5*|w|^2/(C*m)
with smoothed targets t = (1 - eps)*y + eps/2. Also records scikit-learn's convention on the same data for
contrast: (1/m) sum_i w[y_i] * CE_i(unweighted, smoothed) + 0.5*|W|^2/(C*m). Values, gradients (autograd) and
Hessians (torch.autograd.functional.hessian) in float64 with theta = [vec(W) row-major; b].
Writes ../weight_conventions_pytorch.json. Run with /usr/bin/python3 (Debian's python3-torch 1.13).
"""
import json
import os

import torch

torch.manual_seed(0)
dtype = torch.float64
m, d, C = 9, 3, 0.5


def data(k, classes):
    g = torch.Generator().manual_seed(10 + k)
    x = (torch.rand(m, d, generator=g, dtype=dtype) * 4 - 2)
    y = torch.arange(m) % classes
    theta = torch.rand(k * d + k, generator=g, dtype=dtype) - 0.5
    return x, y, theta


def record(name, k, x, y, theta, weight, eps, f):
    t = theta.clone().requires_grad_(True)
    value = f(t)
    (grad,) = torch.autograd.grad(value, t)
    hess = torch.autograd.functional.hessian(f, theta)
    return {
        "name": name, "n_outputs": k, "label_smoothing": eps, "C": C,
        "features": x.flatten().tolist(), "labels": y.tolist(), "class_weight": weight.tolist(),
        "theta": theta.tolist(), "value": value.item(), "gradient": grad.tolist(), "hessian": hess.flatten().tolist(),
    }


cases = []
k = 3
x, y, theta = data(k, k)
w = torch.tensor([0.5, 2.0, 1.25], dtype=dtype)
for eps in (0.0, 0.2):
    def softmax_objective(t, convention):
        W = t[: k * d].view(k, d)
        z = x @ W.T + t[k * d:]
        penalty = 0.5 * (W ** 2).sum() / (C * m)
        if convention == "pytorch":
            return torch.nn.CrossEntropyLoss(weight=w, label_smoothing=eps)(z, y) + penalty
        per_row = torch.nn.CrossEntropyLoss(reduction="none", label_smoothing=eps)(z, y)
        return (w[y] * per_row).sum() / m + penalty
    for convention in ("pytorch", "scikit-learn"):
        cases.append(record(f"softmax {convention} eps={eps}", k, x, y, theta, w, eps,
                            lambda t, c=convention: softmax_objective(t, c)) | {"convention": convention})

x, y, theta = data(1, 2)
alpha = torch.tensor([0.75, 3.0], dtype=dtype)
for eps in (0.0, 0.2):
    target = y.to(dtype) * (1 - eps) + eps / 2
    def binary_objective(t, convention):
        wv = t[:d]
        z = x @ wv + t[d]
        penalty = 0.5 * (wv ** 2).sum() / (C * m)
        if convention == "pytorch":
            loss = torch.nn.BCEWithLogitsLoss(weight=alpha[0].expand(m), pos_weight=alpha[1] / alpha[0])
            return loss(z, target) + penalty
        per_row = torch.nn.BCEWithLogitsLoss(reduction="none")(z, target)
        return (alpha[y] * per_row).sum() / m + penalty
    for convention in ("pytorch", "scikit-learn"):
        cases.append(record(f"binary {convention} eps={eps}", 1, x, y, theta, alpha, eps,
                            lambda t, c=convention: binary_objective(t, c)) | {"convention": convention})

out = {"torch_version": torch.__version__, "n_samples": m, "n_features": d, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "weight_conventions_pytorch.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", path)
for c in cases:
    print(c["name"], c["value"])
