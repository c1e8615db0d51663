#!/usr/bin/python3
"""Makes the expected-pixel lists the ImageCodecs tests compare against, with decoders independent of ours.

PNG: OpenCV 4.6 (its own libpng build), cv2.IMREAD_UNCHANGED, rearranged to imgconv's layout
(BGR(A) -> RGB(A); gray+alpha from OpenCV's BGRA; for gray files with tRNS, which OpenCV reads
without alpha, the alpha plane is computed here from the tRNS chunk).
JPEG: `djpeg -pnm` (libjpeg-turbo, default options); CMYK files come out of djpeg as RGB.

Each line: file, channels, height, width, bits (8/16), FNV-1a-64 of the samples in CHW order
(16-bit samples little-endian). Run from this folder: /usr/bin/python3 make_references.py
"""
import glob, os, struct, subprocess
import numpy as np
import cv2


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def chunks(data: bytes):
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def png_reference(path):
    data = open(path, "rb").read()
    depth, color_type = data[24], data[25]
    trns = dict(chunks(data)).get(b"tRNS")
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img.ndim == 2:
        planes = [img]
        if color_type == 0 and trns is not None:
            raw = img.astype(np.uint32)
            if depth < 8:
                raw = raw // (255 // (2 ** depth - 1))  # OpenCV scaled 1/2/4-bit gray up to 8 bits
            top = 65535 if depth == 16 else 255
            alpha = np.where(raw == struct.unpack(">H", trns[:2])[0], 0, top).astype(img.dtype)
            planes.append(alpha)
    elif color_type == 4:  # OpenCV turns gray+alpha into BGRA
        planes = [img[:, :, 0], img[:, :, 3]]
    else:
        planes = [img[:, :, 2], img[:, :, 1], img[:, :, 0]] + ([img[:, :, 3]] if img.shape[2] == 4 else [])
    chw = np.stack(planes)
    bits = 16 if chw.dtype == np.uint16 else 8
    return chw, bits


def pnm_reference(path):
    pnm = subprocess.run(["djpeg", "-pnm", path], capture_output=True).stdout
    magic, width, height, maxval, pixels = pnm.split(maxsplit=4)
    assert maxval == b"255"
    channels = 3 if magic == b"P6" else 1
    hwc = np.frombuffer(pixels, np.uint8).reshape(int(height), int(width), channels)
    return hwc.transpose(2, 0, 1), 8


def line(name, chw, bits):
    data = chw.astype("<u2").tobytes() if bits == 16 else np.ascontiguousarray(chw).tobytes()
    c, h, w = chw.shape
    return f"{name}\t{c}\t{h}\t{w}\t{bits}\t{fnv1a64(data)}\n"


with open("pngsuite-references.tsv", "w") as out:
    for path in sorted(glob.glob("pngsuite/*.png")):
        name = os.path.basename(path)
        if not name.startswith("x"):
            out.write(line(name, *png_reference(path)))

with open("jpeg-references.tsv", "w") as out:
    for path in sorted(glob.glob("jpeg/*/*.jpg")):
        name = os.path.relpath(path)
        result = subprocess.run(["djpeg", "-pnm", path], capture_output=True)
        # djpeg exits 2 after warnings (e.g. extraneous bytes); truncated files are left out (an error for imgconv).
        if result.returncode in (0, 2) and result.stdout and b"Premature end" not in result.stderr:
            out.write(line(name, *pnm_reference(path)))
