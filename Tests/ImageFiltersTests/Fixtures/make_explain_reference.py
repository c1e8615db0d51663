#!/usr/bin/python3
"""Writes explain_reference.json: PyTorch's outputs for the cases of ExplainTorchTests (imgconv explain).

Run once, with Debian's python3-torch:

    /usr/bin/python3 Tests/ImageFiltersTests/Fixtures/make_explain_reference.py

Each case is a small matrix with F.conv2d (bias, padding modes through nn.Conv2d's padding_mode,
"flip" as torch.flip of the weight), F.max_pool2d or F.avg_pool2d (ceil_mode, count_include_pad);
the expected output is stored row-major as Python floats of the float32 results.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
COURSE = [[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]]
CROSS = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
gen = torch.Generator().manual_seed(7)
RANDOM = (torch.rand(6, 7, generator=gen) * 4 - 2).tolist()
RANDOM_KERNEL = (torch.rand(2, 3, generator=gen) * 2 - 1).tolist()

CASES = [
    {"name": "course", "input": COURSE, "op": "conv", "kernel": CROSS},
    {"name": "course bias", "input": COURSE, "op": "conv", "kernel": CROSS, "bias": -0.5},
    {"name": "course sobel-x flipped", "input": COURSE, "op": "conv", "kernel": SOBEL_X, "flip": True},
    {"name": "padding 1 stride 2 replicate", "input": COURSE, "op": "conv", "kernel": CROSS, "stride": [2, 2],
     "padding": [1, 1], "padding_mode": "replicate"},
    {"name": "random reflect dilation", "input": RANDOM, "op": "conv", "kernel": RANDOM_KERNEL, "padding": [2, 1],
     "padding_mode": "reflect", "dilation": [1, 2], "bias": 0.25, "flip": True},
    {"name": "random circular stride", "input": RANDOM, "op": "conv", "kernel": RANDOM_KERNEL, "padding": [1, 2],
     "padding_mode": "circular", "stride": [2, 3]},
    {"name": "max 2", "input": COURSE, "op": "max", "window": [2, 2]},
    {"name": "max 2 ceil", "input": COURSE, "op": "max", "window": [2, 2], "ceil_mode": True},
    {"name": "max 3 s2 p1 ceil", "input": RANDOM, "op": "max", "window": [3, 3], "stride": [2, 2], "padding": [1, 1],
     "ceil_mode": True},
    {"name": "max dilated", "input": RANDOM, "op": "max", "window": [2, 3], "stride": [1, 2], "dilation": [2, 1]},
    {"name": "avg 2 p1", "input": COURSE, "op": "avg", "window": [2, 2], "padding": [1, 1]},
    {"name": "avg 2 p1 no count", "input": COURSE, "op": "avg", "window": [2, 2], "padding": [1, 1],
     "count_include_pad": False},
    {"name": "avg 2 ceil", "input": COURSE, "op": "avg", "window": [2, 2], "ceil_mode": True},
    {"name": "avg 3 s2 p1 ceil no count", "input": RANDOM, "op": "avg", "window": [3, 3], "stride": [2, 2],
     "padding": [1, 1], "ceil_mode": True, "count_include_pad": False},
    {"name": "avg 3 s2 p1 ceil count", "input": RANDOM, "op": "avg", "window": [3, 2], "stride": [2, 2],
     "padding": [1, 1], "ceil_mode": True},
]

for case in CASES:
    x = torch.tensor(case["input"], dtype=torch.float32)[None, None]
    stride = tuple(case.get("stride", [1, 1] if case["op"] == "conv" else case["window"]))
    padding = tuple(case.get("padding", [0, 0]))
    dilation = tuple(case.get("dilation", [1, 1]))
    if case["op"] == "conv":
        w = torch.tensor(case["kernel"], dtype=torch.float32)[None, None]
        if case.get("flip"):
            w = torch.flip(w, [2, 3])
        conv = nn.Conv2d(1, 1, tuple(w.shape[2:]), stride=stride, padding=padding, dilation=dilation,
                         bias="bias" in case, padding_mode=case.get("padding_mode", "zeros"))
        with torch.no_grad():
            conv.weight.copy_(w)
            if "bias" in case:
                conv.bias.fill_(case["bias"])
            y = conv(x)
    elif case["op"] == "max":
        y = F.max_pool2d(x, tuple(case["window"]), stride, padding, dilation, ceil_mode=case.get("ceil_mode", False))
    else:
        y = F.avg_pool2d(x, tuple(case["window"]), stride, padding, ceil_mode=case.get("ceil_mode", False),
                         count_include_pad=case.get("count_include_pad", True))
    case["output_shape"] = list(y.shape[2:])
    case["output"] = [float(v) for v in y.flatten().tolist()]

with open(os.path.join(HERE, "explain_reference.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, indent=1)
    f.write("\n")
