#!/usr/bin/env python3
"""Reference outputs of the morphology and rank filters (issue 18), from OpenCV.

cv2.dilate, cv2.erode and cv2.morphologyEx (open, close, gradient, tophat, blackhat) with the elements
cv2.getStructuringElement makes (MORPH_RECT, MORPH_CROSS, MORPH_ELLIPSE) and a hand-written one, OpenCV's
default border (BORDER_CONSTANT with morphologyDefaultBorderValue: the pixels outside are ignored) and
BORDER_REPLICATE / BORDER_REFLECT_101 for a few, iterations 1 and 2; cv2.medianBlur for sizes 3, 5, 7 and 15
(BORDER_REPLICATE; above 5 OpenCV takes 8-bit input only). Inputs are two small 8-bit images made here from a seed (no licence needed): a 23×31
gray plane of blobs and noise and a 17×19 colour one.

Run once with /usr/bin/python3 (Debian's python3-opencv, cv2 4.6); writes morphology_reference.json beside this
file. MorphologyReferenceTests runs the same filters and requires every 8-bit sample to be equal; it needs
neither Python nor OpenCV.
"""
import json, os
import cv2
import numpy as np

rng = np.random.default_rng(18)


def image(h, w, c):
    base = rng.integers(0, 256, size=(h, w, c), dtype=np.int64)
    # Blobs and flat areas, so openings and closings have something to remove, plus ties everywhere.
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(5):
        cy, cx, r = rng.integers(0, h), rng.integers(0, w), rng.integers(2, 6)
        base[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = rng.integers(0, 256)
    base[rng.random((h, w)) < 0.15] = 255
    base[rng.random((h, w)) < 0.15] = 0
    return base.astype(np.uint8)


inputs = {"gray": image(23, 31, 1)[:, :, 0], "colour": image(17, 19, 3)}

custom = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=np.uint8)  # 4×3, not symmetric
shapes = {"square": cv2.MORPH_RECT, "cross": cv2.MORPH_CROSS, "disk": cv2.MORPH_ELLIPSE}


def element(shape, h, w):
    if shape == "custom":
        return custom
    return cv2.getStructuringElement(shapes[shape], (w, h))  # OpenCV takes (width, height)


ops = {"dilate": None, "erode": None, "open": cv2.MORPH_OPEN, "close": cv2.MORPH_CLOSE, "gradient": cv2.MORPH_GRADIENT,
       "tophat": cv2.MORPH_TOPHAT, "blackhat": cv2.MORPH_BLACKHAT}
borders = {"ignore": None, "replicate": cv2.BORDER_REPLICATE, "reflect": cv2.BORDER_REFLECT_101}

cases = []


def add(op, name, shape, h, w, iterations=1, border="ignore"):
    x = inputs[name]
    k = element(shape, h, w)
    extra = {} if borders[border] is None else {"borderType": borders[border]}
    if op == "dilate":
        y = cv2.dilate(x, k, iterations=iterations, **extra)
    elif op == "erode":
        y = cv2.erode(x, k, iterations=iterations, **extra)
    else:
        y = cv2.morphologyEx(x, ops[op], k, iterations=iterations, **extra)
    cases.append({"op": op, "input": name, "shape": shape, "size": [int(k.shape[0]), int(k.shape[1])],
                  "element": k.astype(int).tolist(), "iterations": iterations, "border": border,
                  "output": y.reshape(-1).tolist()})


for op in ops:
    for shape, h, w in [("square", 3, 3), ("square", 5, 5), ("square", 4, 4), ("square", 3, 5), ("cross", 3, 3), ("cross", 5, 5),
                        ("disk", 5, 5), ("disk", 7, 7), ("disk", 4, 6), ("custom", 4, 3)]:
        add(op, "gray", shape, h, w)
    add(op, "colour", "disk", 5, 5)
    add(op, "gray", "square", 3, 3, iterations=2)
    add(op, "gray", "disk", 5, 5, iterations=2)
for op in ["dilate", "erode"]:
    add(op, "gray", "square", 15, 15)          # van Herk's blocks
    add(op, "gray", "square", 11, 21)
    for border in ["replicate", "reflect"]:
        add(op, "gray", "disk", 5, 5, border=border)
        add(op, "gray", "square", 3, 3, border=border)
for name in inputs:
    for k in [3, 5, 7, 15]:  # 7 and 15: above the selection network's taps, the running histogram
        y = cv2.medianBlur(inputs[name], k)
        cases.append({"op": "median", "input": name, "shape": "square", "size": [k, k], "element": np.ones((k, k), int).tolist(),
                      "iterations": 1, "border": "replicate", "output": y.reshape(-1).tolist()})

out = {"opencv": cv2.__version__,
       "inputs": {n: {"shape": list(x.shape) if x.ndim == 3 else list(x.shape) + [1], "values": x.reshape(-1).tolist()} for n, x in inputs.items()},
       "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "morphology_reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"{len(cases)} cases, {os.path.getsize(path)} bytes → {path}")
