#!/usr/bin/env python3
"""Writes stripes.png, the PNG source of AdversarialFileTests: 48×80 RGB (80 rows, so that imgconv converts
and blurs it in strips), a tEXt chunk before the image data, the data deflated in three IDAT chunks, a
tEXt chunk after them, then IEND: seven chunks whose every position the tests truncate, corrupt, duplicate,
remove and follow with garbage. Standard library only; run once from this folder."""
import struct, zlib

def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)

W, H = 48, 80
raw = bytearray()
for y in range(H):
    raw.append(0)
    for x in range(W):
        raw += bytes(((x * 5 + y * 3) & 255, (y * 7) & 255, ((x ^ y) * 9) & 255))
data = zlib.compress(bytes(raw), 9)
third = len(data) // 3
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0))
png += chunk(b'tEXt', b'Comment\x00imgconv adversarial source')
png += chunk(b'IDAT', data[:third]) + chunk(b'IDAT', data[third:2 * third]) + chunk(b'IDAT', data[2 * third:])
png += chunk(b'tEXt', b'Comment\x00after the image data')
png += chunk(b'IEND', b'')
open('stripes.png', 'wb').write(png)
