import gzip, json, base64, struct, time, numpy as np, torch
torch.set_num_threads(2)
DT = torch.float64
def load():
    d = '/usr/share/datasets/fashion-mnist/'
    with gzip.open(d+'train-images-idx3-ubyte.gz') as f:
        raw = f.read(); X = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784).astype(np.float64)/255
    with gzip.open(d+'train-labels-idx1-ubyte.gz') as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(X).to(DT), torch.from_numpy(y)
def optimum():
    o = json.load(open('/work/wt-nystrom/bench/optima.json'))['optima']
    e = [v for k, v in o.items() if k.startswith('fashion-mnist C=')][0]
    return e['objective']
class Obj:
    """softmax F = mean CE + lam/2 |W|^2, theta = (K, d+1) matrix [W, b]"""
    def __init__(s, X, y, K=10, C=1.0):
        s.m, s.d = X.shape; s.K = K
        s.Xt = torch.cat([X, torch.ones(s.m, 1, dtype=DT)], 1).contiguous()
        s.y = y; s.Y = torch.nn.functional.one_hot(y, K).to(DT); s.lam = 1.0/(C*s.m)
        s.passes = 0.0; s.P = None
    def vg(s, T):
        s.passes += 1
        Z = s.Xt @ T.t()
        lse = torch.logsumexp(Z, 1)
        P = torch.exp(Z - lse[:, None]); s.P = P
        f = (lse - Z.gather(1, s.y[:, None])[:, 0]).mean() + 0.5*s.lam*(T[:, :-1]**2).sum()
        G = (P - s.Y).t() @ s.Xt / s.m
        G[:, :-1] += s.lam*T[:, :-1]
        return f.item(), G
    def hv(s, V, rows=None, w=None):
        Xs = s.Xt if rows is None else s.Xt[rows]
        P = s.P if rows is None else s.P[rows]
        s.passes += (1 if rows is None else len(rows)/s.m)
        Z = Xs @ V.t()
        R = P*Z - P*(P*Z).sum(1, keepdim=True)
        if w is not None: R = R*w[:, None]
        H = R.t() @ Xs / (s.m if w is None else 1.0)
        H[:, :-1] += s.lam*V[:, :-1]
        return H
