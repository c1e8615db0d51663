#!/usr/bin/env python3
"""Reference outputs of the named filters' border rule on images smaller than the kernel (issue 12.20).

scipy.ndimage.correlate with mode="mirror" (= OpenCV BORDER_REFLECT_101 = PyTorch reflect, but repeated
for as long as the kernel reaches) on small planes and long kernels. Run once with /usr/bin/python3
(Debian's python3-scipy); writes small_image_reference.json beside this file. The Swift test builds the
same kernels and compares; it needs neither Python nor scipy.
"""
import json, math, os
import numpy as np
from scipy.ndimage import correlate


def gaussian(sigma):
    r = math.ceil(3 * sigma)
    g = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma * sigma))
    g = (g / g.sum()).astype(np.float32).astype(np.float64)   # the Swift weights are Float32
    return np.outer(g, g)


def plane(h, w, seed):
    # Deterministic values with distinct samples, so every reflection index matters.
    return np.array([[((seed * 7 + y * 13 + x * 29) % 97) / 97 for x in range(w)] for y in range(h)], dtype=np.float32)


kernels = {
    "gaussian-1": gaussian(1.0),                       # 7x7, separable path
    "gaussian-5": gaussian(5.0),                       # 31x31
    "box-5": np.full((5, 5), 1 / 25.0, dtype=np.float32).astype(np.float64),  # box path
    "row-15": np.array([[(i % 5) - 2 + 0.25 * i for i in range(15)]], dtype=np.float32).astype(np.float64),
    "column-9": np.array([[1, -2, 3, 0.5, 4, -1, 2, 0, 1.5]], dtype=np.float32).astype(np.float64).T,
    "direct-5x3": np.array([[1, 0, -1], [2, 5, 0], [0, 1, 3], [-2, 1, 1], [4, 0, 2]], dtype=np.float32).astype(np.float64),
}
sizes = [(1, 1), (1, 2), (2, 1), (2, 2), (3, 2), (2, 3), (1, 7), (5, 1), (4, 6)]

cases = []
for name, k in kernels.items():
    for i, (h, w) in enumerate(sizes):
        x = plane(h, w, i + 1)
        y = correlate(x.astype(np.float64), k, mode="mirror")
        cases.append({"kernel": name, "weights": k.ravel().tolist(), "kernelRows": k.shape[0], "kernelColumns": k.shape[1],
                      "height": h, "width": w, "input": x.astype(np.float64).ravel().tolist(), "output": y.ravel().tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "small_image_reference.json"), "w") as f:
    json.dump(cases, f)
print(len(cases), "cases")
