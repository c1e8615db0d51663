#!/usr/bin/python3
"""Writes validation-grid.json: which configurations PyTorch accepts or refuses, over a broad grid, and the
output shape of those it accepts. ValidationTests.matchesPyTorchOnTheWholeGrid runs every one through
imgconv's engine: a configuration PyTorch refuses must be refused (EngineError), one it accepts must be
accepted with the same output shape.

Run once with Debian's python3-torch (1.13): /usr/bin/python3 Tests/TensorEngineTests/Fixtures/make_validation_grid.py

The grid: conv2d over input size × kernel (square, tall, wide, larger than the input) × stride (incl. 0) ×
padding (incl. negative, "same", "valid", asymmetric pairs) × dilation (incl. 0) × groups × channel counts ×
padding mode (zeros, reflect, replicate, circular; the modes other than zeros are F.pad followed by an
unpadded conv2d, as nn.Conv2d does); max_pool2d and avg_pool2d over kernel × stride × padding (the ≤ k/2 rule)
× dilation (max) × ceil_mode × count_include_pad / divisor_override (avg). Tensors are tiny zeros: only the
verdict and the shape matter.
"""
import itertools, json, os, random
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)
cases = []


def verdict(run):
    try:
        out = run()
        return {"accepted": True, "shape": list(out.shape)}
    except (RuntimeError, ValueError) as error:
        return {"accepted": False, "torch_error": str(error).splitlines()[0][:160]}


def conv(n_in, size, kernel, out_channels, weight_channels, stride, padding, dilation, groups, mode):
    x = torch.zeros(1, n_in, *size)
    w = torch.zeros(out_channels, weight_channels, *kernel)
    if mode == "zeros":
        return F.conv2d(x, w, None, stride, padding, dilation, groups)
    if isinstance(padding, str):
        raise ValueError("padding mode with a word")  # not generated
    ph, pw = padding
    if ph < 0 or pw < 0:
        raise RuntimeError("negative padding is not supported")
    x = F.pad(x, (pw, pw, ph, ph), mode=mode)
    return F.conv2d(x, w, None, stride, 0, dilation, groups)


sizes = [(1, 1), (2, 5), (4, 4), (5, 3), (7, 9)]
kernels = [(1, 1), (3, 3), (1, 3), (5, 2), (7, 7)]
strides = [(1, 1), (2, 2), (3, 1), (0, 1)]
paddings = [(0, 0), (1, 1), (2, 0), (3, 3), (4, 4), (-1, 0), "same", "valid"]
dilations = [(1, 1), (2, 2), (1, 3), (0, 1)]
channel_sets = [  # (input channels, out channels, weight's channels, groups)
    (1, 1, 1, 1), (2, 3, 2, 1), (4, 6, 2, 2), (4, 4, 1, 4), (4, 6, 1, 4), (3, 6, 1, 2), (4, 3, 2, 2), (2, 2, 1, 1), (2, 2, 2, 0)]
modes = ["zeros", "reflect", "replicate", "circular"]
grid = [g for g in itertools.product(sizes, kernels, strides, paddings, dilations, channel_sets, modes)
        if g[-1] == "zeros" or not isinstance(g[3], str)]
# A seeded sample of the product (every value of every axis still meets the others many times), plus every
# combination of size, kernel, padding and mode at stride 1, dilation 1, one channel: the padding-mode limits.
picked = random.Random(20261201).sample(grid, 2500)
picked += [g for g in grid if g[2] == (1, 1) and g[4] == (1, 1) and g[5] == (1, 1, 1, 1)]
for size, kernel, stride, padding, dilation, channels, mode in sorted(set(picked), key=str):
    n_in, n_out, n_w, groups = channels
    case = {"op": "conv2d", "input": [1, n_in, *size], "weight": [n_out, n_w, *kernel], "stride": list(stride),
            "padding": padding if isinstance(padding, str) else list(padding), "dilation": list(dilation),
            "groups": groups, "padding_mode": mode}
    case.update(verdict(lambda: conv(n_in, size, kernel, n_out, n_w, stride, padding, dilation, groups, mode)))
    cases.append(case)

pool_sizes = [(1, 1), (3, 4), (5, 5), (6, 2)]
pool_kernels = [(1, 1), (2, 2), (3, 3), (2, 5), (6, 6), (0, 2)]
pool_strides = [None, (1, 1), (2, 2), (3, 2), (0, 1)]
pool_paddings = [(0, 0), (1, 1), (1, 0), (2, 2), (3, 1), (-1, 0)]
pool_grid = list(itertools.product(pool_sizes, pool_kernels, pool_strides, pool_paddings, [False, True]))
for size, kernel, stride, padding, ceil in random.Random(7).sample(pool_grid, 400):
    x = torch.zeros(1, 2, *size)
    s = list(stride) if stride else []
    for dilation in [(1, 1), (2, 2), (0, 1)]:
        case = {"op": "max_pool2d", "input": [1, 2, *size], "kernel": list(kernel), "stride": stride and list(stride),
                "padding": list(padding), "dilation": list(dilation), "ceil_mode": ceil}
        case.update(verdict(lambda: F.max_pool2d(x, kernel, s, padding, dilation, ceil)))
        cases.append(case)
    for include, divisor in [(True, None), (False, None), (True, 3), (False, 0)]:
        case = {"op": "avg_pool2d", "input": [1, 2, *size], "kernel": list(kernel), "stride": stride and list(stride),
                "padding": list(padding), "ceil_mode": ceil, "count_include_pad": include, "divisor_override": divisor}
        case.update(verdict(lambda: F.avg_pool2d(x, kernel, s, padding, ceil, include, divisor)))
        cases.append(case)

with open(os.path.join(HERE, "validation-grid.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
accepted = sum(c["accepted"] for c in cases)
print(f"{len(cases)} cases, {accepted} accepted, {len(cases) - accepted} refused")
