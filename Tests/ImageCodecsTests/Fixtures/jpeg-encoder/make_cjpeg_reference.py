#!/usr/bin/python3
"""Writes cjpeg-q90-basn2c08.jpg: what libjpeg-turbo's own `cjpeg -quality 90` makes of PngSuite's basn2c08
(32×32 8-bit RGB), for JPEGEncodingTests.matchesLibjpegDefaultsLikeCjpeg. The PNG is decoded here with the
standard library (zlib + PNG's row filters), written as a PPM and given to cjpeg, so the test needs no cjpeg.
Run once from this folder: /usr/bin/python3 make_cjpeg_reference.py   (needs libjpeg-turbo-progs)
"""
import os, struct, subprocess, tempfile, zlib

here = os.path.dirname(os.path.abspath(__file__))
data = open(os.path.join(here, "..", "pngsuite", "basn2c08.png"), "rb").read()
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, color, _, _, interlace = header
assert (depth, color, interlace) == (8, 2, 0), header
raw, bpp, stride = zlib.decompress(idat), 3, width * 3
rows, prev = [], bytearray(stride)
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
with tempfile.TemporaryDirectory() as tmp:
    ppm = os.path.join(tmp, "in.ppm")
    open(ppm, "wb").write(b"P6\n%d %d\n255\n" % (width, height) + b"".join(rows))
    subprocess.run(["cjpeg", "-quality", "90", "-outfile", os.path.join(here, "cjpeg-q90-basn2c08.jpg"), ppm], check=True)
print(subprocess.run(["cjpeg", "-version"], capture_output=True, text=True).stderr.strip())
