#!/usr/bin/python3
"""Writes the PyTorch reference fixtures of TensorEngineTests.

Run once, from anywhere, with Debian's python3-torch (1.13) and numpy:

    /usr/bin/python3 Tests/TensorEngineTests/Fixtures/make_torch_fixtures.py

Writes torch/*.npy (little-endian <f4 tensors, <i8 max-pool indices) and torch/cases.json, which
describes every case: the operation, its parameters in PyTorch's terms, and the file of each array.
Inputs and weights are uniform in [-1, 1] from a fixed seed, so the output is reproducible.
Padding modes PyTorch lacks ("symmetric", "constant=V") are made with numpy.pad and a convolution
without padding; "flip" (true convolution) is torch.flip(weight, [2, 3]).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch")
os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))

rng = np.random.default_rng(20240611)
torch.manual_seed(0)
cases = []


def uniform(*shape):
    return rng.uniform(-1.0, 1.0, size=shape).astype("<f4")


def save(case, key, array, dtype="<f4"):
    file = f"{case}_{key}.npy"
    np.save(os.path.join(OUT, file), np.ascontiguousarray(np.asarray(array, dtype=dtype)))
    return file


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def same_padding(kernel, dilation):
    """PyTorch's padding='same': total d*(k-1), floor half before, the rest after."""
    pads = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        pads.append((total // 2, total - total // 2))
    return pads  # [(top, bottom), (left, right)]


def conv(name, n, cin, h, w, cout, kernel, stride=1, padding=0, dilation=1, groups=1,
         mode="zeros", bias=True, flip=False):
    kernel, stride, dilation = pair(kernel), pair(stride), pair(dilation)
    x = uniform(n, cin, h, w)
    wt = uniform(cout, cin // groups, *kernel)
    b = uniform(cout) if bias else None
    xt, wtt = torch.from_numpy(x), torch.from_numpy(wt)
    if flip:
        wtt = torch.flip(wtt, [2, 3])
    bt = torch.from_numpy(b) if bias else None
    if isinstance(padding, str):
        pads = same_padding(kernel, dilation) if padding == "same" else [(0, 0), (0, 0)]
    else:
        p = pair(padding)
        pads = [(p[0], p[0]), (p[1], p[1])]
    if mode == "symmetric" or mode.startswith("constant="):
        if mode == "symmetric":
            padded = np.pad(x, [(0, 0), (0, 0), pads[0], pads[1]], mode="symmetric")
        else:
            padded = np.pad(x, [(0, 0), (0, 0), pads[0], pads[1]], mode="constant",
                            constant_values=float(mode.split("=")[1]))
        y = F.conv2d(torch.from_numpy(padded.astype("<f4")), wtt, bt, stride, 0, dilation, groups)
    elif mode == "zeros":
        y = F.conv2d(xt, wtt, bt, stride, padding if isinstance(padding, str) else pair(padding), dilation, groups)
    else:
        module = torch.nn.Conv2d(cin, cout, kernel, stride, padding if isinstance(padding, str) else pair(padding),
                                 dilation, groups, bias=bias, padding_mode=mode)
        with torch.no_grad():
            module.weight.copy_(wtt)
            if bias:
                module.bias.copy_(bt)
            y = module(xt)
    case = {"name": name, "op": "conv2d", "stride": stride, "dilation": dilation, "groups": groups,
            "padding": padding if isinstance(padding, str) else pair(padding), "padding_mode": mode, "flip": flip,
            "input": save(name, "input", x), "weight": save(name, "weight", wt),
            "expected": save(name, "expected", y.detach().numpy())}
    if bias:
        case["bias"] = save(name, "bias", b)
    cases.append(case)


def maxpool(name, x, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    y, idx = F.max_pool2d(torch.from_numpy(x), kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    cases.append({"name": name, "op": "max_pool2d", "kernel": pair(kernel),
                  "stride": None if stride is None else pair(stride), "padding": pair(padding),
                  "dilation": pair(dilation), "ceil_mode": ceil_mode,
                  "input": save(name, "input", x), "expected": save(name, "expected", y.numpy()),
                  "indices": save(name, "indices", idx.numpy(), "<i8")})


def avgpool(name, x, kernel, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    y = F.avg_pool2d(torch.from_numpy(x), kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    cases.append({"name": name, "op": "avg_pool2d", "kernel": pair(kernel),
                  "stride": None if stride is None else pair(stride), "padding": pair(padding),
                  "ceil_mode": ceil_mode, "count_include_pad": count_include_pad,
                  "divisor_override": divisor_override,
                  "input": save(name, "input", x), "expected": save(name, "expected", y.numpy())})


def adaptive(name, x, output_size):
    xt = torch.from_numpy(x)
    avg = F.adaptive_avg_pool2d(xt, output_size)
    mx, idx = F.adaptive_max_pool2d(xt, output_size, return_indices=True)
    cases.append({"name": name + "_avg", "op": "adaptive_avg_pool2d", "output_size": pair(output_size),
                  "input": save(name, "input", x), "expected": save(name + "_avg", "expected", avg.numpy())})
    cases.append({"name": name + "_max", "op": "adaptive_max_pool2d", "output_size": pair(output_size),
                  "input": save(name, "input", x), "expected": save(name + "_max", "expected", mx.numpy()),
                  "indices": save(name + "_max", "indices", idx.numpy(), "<i8")})


def pad(name, x, top, bottom, left, right, mode):
    if mode == "symmetric":
        y = np.pad(x, [(0, 0), (0, 0), (top, bottom), (left, right)], mode="symmetric")
    elif mode.startswith("constant=") or mode == "zeros":
        value = 0.0 if mode == "zeros" else float(mode.split("=")[1])
        y = F.pad(torch.from_numpy(x), (left, right, top, bottom), mode="constant", value=value).numpy()
    else:
        y = F.pad(torch.from_numpy(x), (left, right, top, bottom), mode=mode).numpy()
    cases.append({"name": name, "op": "pad", "padding": [top, bottom, left, right], "padding_mode": mode,
                  "input": save(name, "input", x), "expected": save(name, "expected", y)})


# Convolution: sizes, strides, padding, dilation.
conv("conv_basic_k3", 1, 1, 5, 5, 1, 3)
conv("conv_odd_sizes_pad1", 2, 3, 7, 9, 4, 3, padding=1)
conv("conv_asymmetric_all", 1, 2, 11, 13, 3, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2))
conv("conv_stride3_leftover", 1, 1, 10, 17, 2, 2, stride=3)
conv("conv_stride_w2_dilation_h3", 2, 2, 15, 12, 2, (2, 3), stride=(1, 2), padding=(2, 0), dilation=(3, 1))
conv("conv_k1_wide", 1, 8, 3, 19, 5, 1)
conv("conv_k1_stride2", 1, 3, 9, 9, 2, 1, stride=2, bias=False)
conv("conv_wide_simd", 1, 2, 6, 40, 2, 3, padding=1)
conv("conv_width_23_k5", 1, 1, 5, 27, 1, 5)
conv("conv_k11", 1, 1, 13, 17, 2, 11, padding=5)
conv("conv_k11_stride4", 1, 3, 17, 17, 2, 11, stride=4, padding=2)
conv("conv_64_channels", 1, 64, 5, 6, 8, 3, padding=1)
conv("conv_64_depthwise", 1, 64, 5, 7, 64, 3, padding=1, groups=64)
conv("conv_no_bias", 1, 2, 8, 8, 3, 3, bias=False)
# Padding modes.
for mode in ["zeros", "reflect", "replicate", "circular", "symmetric", "constant=0.5"]:
    label = mode.replace("=", "_").replace(".", "p")
    conv(f"conv_mode_{label}", 1, 2, 9, 10, 2, (5, 7), padding=(2, 3), mode=mode)
    conv(f"conv_mode_{label}_depthwise_stride", 2, 3, 8, 11, 3, 3, stride=(2, 3), padding=(1, 2), groups=3, mode=mode)
conv("conv_reflect_max_pad", 1, 1, 4, 5, 1, (7, 9), padding=(3, 4), mode="reflect")
conv("conv_circular_full_pad", 1, 1, 3, 4, 1, (3, 5), padding=(3, 4), mode="circular")
conv("conv_symmetric_full_pad", 1, 1, 3, 4, 1, (3, 5), padding=(3, 4), mode="symmetric")
# same / valid.
conv("conv_same_k3", 1, 2, 7, 9, 2, 3, padding="same")
conv("conv_same_even_k4_dilation2", 1, 2, 9, 8, 3, (4, 2), padding="same", dilation=2)
conv("conv_same_reflect_dilation3", 1, 1, 12, 11, 1, 3, padding="same", dilation=3, mode="reflect")
conv("conv_same_replicate_even", 1, 2, 6, 7, 2, (2, 4), padding="same", mode="replicate")
conv("conv_same_circular", 1, 1, 8, 8, 2, 5, padding="same", mode="circular")
conv("conv_valid", 1, 3, 8, 10, 2, (3, 4), padding="valid")
# Groups.
conv("conv_groups2", 1, 4, 8, 9, 6, 3, padding=1, groups=2)
conv("conv_groups3_cout3", 2, 6, 7, 7, 3, (3, 2), groups=3, stride=(1, 2))
conv("conv_depthwise", 1, 3, 9, 13, 3, 5, padding=2, groups=3, mode="replicate")
conv("conv_depthwise_multiplier", 1, 2, 8, 9, 4, 3, groups=2, dilation=(2, 1))
conv("conv_groups4_of_8", 2, 8, 6, 5, 8, 3, padding=1, groups=4)
# True convolution.
conv("conv_flip", 1, 2, 8, 9, 2, (3, 4), padding=1, flip=True)
conv("conv_flip_depthwise_reflect", 1, 3, 7, 7, 3, 3, padding=1, groups=3, mode="reflect", flip=True)

# Max pooling.
maxpool("maxpool_k2", uniform(1, 2, 8, 8), 2)
maxpool("maxpool_k3_s2_p1_ceil", uniform(1, 1, 10, 11), 3, 2, 1, ceil_mode=True)
maxpool("maxpool_dilation2_p1", uniform(2, 2, 9, 9), 3, 2, 1, dilation=2)
maxpool("maxpool_asymmetric_ceil", uniform(1, 2, 7, 10), (2, 3), (1, 2), (1, 1), ceil_mode=True)
maxpool("maxpool_ceil_drops_last", uniform(1, 1, 5, 5), 2, 2, 1, ceil_mode=True)
maxpool("maxpool_ceil_dilation", uniform(1, 1, 11, 8), 3, (3, 2), 1, dilation=(2, 3), ceil_mode=True)
maxpool("maxpool_stride1", uniform(1, 3, 6, 7), 3, 1, 1)
ties = rng.integers(0, 3, size=(1, 2, 6, 7)).astype("<f4")
maxpool("maxpool_ties", ties, 3, 2, 1, ceil_mode=True)
with_nan = uniform(1, 1, 6, 6)
with_nan[0, 0, 1, 1] = np.nan
with_nan[0, 0, 1, 3] = np.nan
with_nan[0, 0, 4, 0] = np.nan
maxpool("maxpool_nan", with_nan, 3, 2, 1)
maxpool("maxpool_window_outside_input", uniform(1, 1, 2, 2), 2, 2, 1, dilation=3)
maxpool("maxpool_all_negative_infinity", np.full((1, 1, 3, 3), -np.inf, dtype="<f4"), 3, 1, 1)

# Average pooling.
avgpool("avgpool_k3_s2_p1_ceil", uniform(1, 2, 10, 11), 3, 2, 1, ceil_mode=True)
avgpool("avgpool_exclude_pad_ceil", uniform(1, 2, 10, 11), 3, 2, 1, ceil_mode=True, count_include_pad=False)
avgpool("avgpool_divisor_override", uniform(1, 1, 9, 8), 3, 2, 1, divisor_override=5)
avgpool("avgpool_divisor_override_ceil_exclude", uniform(1, 1, 9, 8), 3, 2, 1, ceil_mode=True,
        count_include_pad=False, divisor_override=2)
avgpool("avgpool_asymmetric", uniform(2, 1, 7, 12), (2, 4), (3, 1), (1, 2))
avgpool("avgpool_ceil_clipped", uniform(1, 1, 5, 5), 3, 2, 1, ceil_mode=True)
avgpool("avgpool_ceil_no_pad", uniform(1, 1, 6, 7), 4, 3, 0, ceil_mode=True)
avgpool("avgpool_k2_default_stride", uniform(1, 3, 8, 9), 2)

# Adaptive pooling (overlapping bins, identity, global, upsampling).
adaptive("adaptive_7_to_3", uniform(1, 2, 7, 7), 3)
adaptive("adaptive_10x9_to_4x5", uniform(2, 1, 10, 9), (4, 5))
adaptive("adaptive_identity", uniform(1, 1, 5, 5), 5)
adaptive("adaptive_global", uniform(1, 3, 6, 6), 1)
adaptive("adaptive_3x4_to_6x7", uniform(1, 1, 3, 4), (6, 7))
adaptive_nan = rng.integers(0, 2, size=(1, 1, 7, 6)).astype("<f4")
adaptive_nan[0, 0, 2, 2] = np.nan
adaptive("adaptive_ties_nan", adaptive_nan, (3, 2))

# Pad.
for mode in ["zeros", "constant=-0.25", "reflect", "replicate", "circular", "symmetric"]:
    label = mode.replace("=", "_").replace(".", "p").replace("-", "m")
    pad(f"pad_{label}", uniform(1, 2, 5, 6), 1, 3, 4, 2, mode)

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump({"generator": "make_torch_fixtures.py", "torch": torch.__version__, "numpy": np.__version__,
               "cases": cases}, f, indent=1)
print(f"{len(cases)} cases written to {OUT}")
