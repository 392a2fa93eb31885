#!/usr/bin/python3
"""Reference tensor attention through scipy.linalg.khatri_rao (spec §0, T13).

Reads one JSON object on stdin: {"scale": s, "q": [d], "K1": [[d]*n], "K2", "V1", "V2"}
(row lists, one token per row) and prints {"out": [d], "S": [[n]*n]} where
S[a][b] = ((K1 ⊘ K2) q)[a*n + b] (scale included) and
out = (V1 ⊘ V2)^T softmax(S) over all n^2 pairs (max-shifted).
Independent of sketchlab: NumPy/SciPy only (Debian python3-numpy/scipy).
"""
import json
import sys

import numpy as np
from scipy.linalg import khatri_rao


def main():
    x = json.load(sys.stdin)
    q = np.array(x["q"], dtype=float)
    K1, K2, V1, V2 = (np.array(x[k], dtype=float) for k in ("K1", "K2", "V1", "V2"))
    n = K1.shape[0]
    K = khatri_rao(K1, K2)          # row a*n + b = K1[a] * K2[b]
    V = khatri_rao(V1, V2)
    logits = x["scale"] * (K @ q)
    p = np.exp(logits - logits.max())
    out = V.T @ p / p.sum()
    json.dump({"out": out.tolist(), "S": logits.reshape(n, n).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
