#!/usr/bin/python3
"""Writes Fashion-MNIST's first RANKS x ROWS training images as RANKS IDX file pairs of ROWS rows each
(part-<r>-images-idx3-ubyte beside part-<r>-labels-idx1-ubyte), for the weak-scaling benchmark (rows per rank fixed).
Usage: make_shards.py OUT_DIR ROWS RANKS [FASHION_MNIST_DIR]"""
import gzip
import os
import struct
import sys

out, rows, ranks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
source = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/datasets/fashion-mnist"
with gzip.open(os.path.join(source, "train-images-idx3-ubyte.gz")) as f:
    magic, n, h, w = struct.unpack(">IIII", f.read(16))
    images = f.read()
with gzip.open(os.path.join(source, "train-labels-idx1-ubyte.gz")) as f:
    magic_labels, n_labels = struct.unpack(">II", f.read(8))
    labels = f.read()
if rows * ranks > n:
    sys.exit(f"{rows} x {ranks} rows exceed the {n} training images")
os.makedirs(out, exist_ok=True)
pixels = h * w
for r in range(ranks):
    lo, hi = r * rows, (r + 1) * rows
    with open(os.path.join(out, f"part-{r}-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", magic, rows, h, w) + images[lo * pixels:hi * pixels])
    with open(os.path.join(out, f"part-{r}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", magic_labels, rows) + labels[lo:hi])
