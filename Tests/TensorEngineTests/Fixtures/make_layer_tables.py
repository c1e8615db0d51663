#!/usr/bin/python3
"""Writes layer_tables.json: PyTorch's own shapes and parameter counts for the small networks of
LayerTableTests (imgconv shape's layer table).

Run once, with Debian's python3-torch:

    /usr/bin/python3 Tests/TensorEngineTests/Fixtures/make_layer_tables.py

Each network is built from torch.nn modules and a zero tensor of the input shape is run through it;
every layer's repr(), output shape and parameter count (sum of p.numel()) are recorded.
"""
import json
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))

# Each layer: kind and the keyword arguments imgconv's LayerSpec takes (pairs as [h, w]).
NETWORKS = [
    {"input": [1, 1, 28, 28], "layers": [
        {"kind": "conv", "out": 5, "kernel": [5, 5]},
        {"kind": "maxpool", "kernel": [2, 2]}]},
    {"input": [1, 3, 32, 32], "layers": [  # LeNet-5's feature extractor on CIFAR-sized input
        {"kind": "conv", "out": 6, "kernel": [5, 5]},
        {"kind": "maxpool", "kernel": [2, 2]},
        {"kind": "conv", "out": 16, "kernel": [5, 5]},
        {"kind": "avgpool", "kernel": [2, 2]}]},
    {"input": [2, 3, 227, 227], "layers": [  # AlexNet's first layers
        {"kind": "conv", "out": 96, "kernel": [11, 11], "stride": [4, 4]},
        {"kind": "maxpool", "kernel": [3, 3], "stride": [2, 2]},
        {"kind": "conv", "out": 256, "kernel": [5, 5], "padding": [2, 2], "groups": 2},
        {"kind": "maxpool", "kernel": [3, 3], "stride": [2, 2], "ceil": True}]},
    {"input": [1, 4, 19, 23], "layers": [
        {"kind": "conv", "out": 8, "kernel": [3, 5], "stride": [2, 1], "padding": [1, 2], "dilation": [2, 1], "bias": False},
        {"kind": "maxpool", "kernel": [3, 2], "stride": [2, 2], "padding": [1, 1], "dilation": [1, 2], "ceil": True},
        {"kind": "conv", "out": 8, "kernel": [3, 3], "padding": "same", "groups": 8},
        {"kind": "avgpool", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil": True},
        {"kind": "conv", "out": 2, "kernel": [1, 1], "padding": "valid"}]},
    {"input": [1, 1, 64, 64], "layers": [
        {"kind": "conv", "out": 1, "kernel": [7, 7], "stride": [2, 2]},
        {"kind": "maxpool", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1]}]},
]


def module(layer, in_channels):
    pair = lambda key, default: tuple(layer.get(key, default))
    if layer["kind"] == "conv":
        padding = layer.get("padding", [0, 0])
        padding = padding if isinstance(padding, str) else tuple(padding)
        return nn.Conv2d(in_channels, layer["out"], pair("kernel", None), stride=pair("stride", [1, 1]), padding=padding,
                         dilation=pair("dilation", [1, 1]), groups=layer.get("groups", 1), bias=layer.get("bias", True))
    scalar = lambda p: p[0] if p[0] == p[1] else tuple(p)
    kernel = scalar(layer["kernel"])
    stride = scalar(layer["stride"]) if "stride" in layer else None
    padding = scalar(layer.get("padding", [0, 0]))
    if layer["kind"] == "maxpool":
        return nn.MaxPool2d(kernel, stride=stride, padding=padding, dilation=scalar(layer.get("dilation", [1, 1])),
                            ceil_mode=layer.get("ceil", False))
    return nn.AvgPool2d(kernel, stride=stride, padding=padding, ceil_mode=layer.get("ceil", False))


cases = []
for net in NETWORKS:
    x = torch.zeros(net["input"])
    rows = []
    for layer in net["layers"]:
        m = module(layer, x.shape[1])
        with torch.no_grad():
            x = m(x)
        rows.append({"name": repr(m), "output": list(x.shape), "parameters": sum(p.numel() for p in m.parameters())})
    cases.append({**net, "expected": rows})

with open(os.path.join(HERE, "layer_tables.json"), "w") as f:
    json.dump({"torch": torch.__version__, "networks": cases}, f, indent=1)
    f.write("\n")
