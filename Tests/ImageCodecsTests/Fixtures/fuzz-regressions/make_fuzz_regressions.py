#!/usr/bin/python3
"""Writes the hostile regression inputs of this folder from the committed fixtures (Python standard library only).

Each file reproduces a failure found in imgconv (issue 12, the hostile corpus, scripts/fuzz): the decoder must
give an image or an ImageCodecError naming the file, never a crash, a hang or memory beyond the output; those that
HostileBytesTests.fuzzRegressions lists as `reject` must be refused. Run once from this folder:
    /usr/bin/python3 make_fuzz_regressions.py
"""
import os, struct, zlib

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.dirname(here)


def read(rel):
    return open(os.path.join(fixtures, rel), "rb").read()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_chunks(data):
    pos, out = 8, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        out.append((kind, data[pos:pos + 12 + length]))
        pos += 12 + length
    return out


def markers(data):
    """(offset, marker byte) of every JPEG marker segment before the first scan's data, plus SOS."""
    pos, out = 2, []
    while pos + 4 <= len(data):
        assert data[pos] == 0xFF
        m = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        out.append((pos, m, length))
        if m == 0xDA:
            break
        pos += 2 + length
    return out


files = {}
expect = {}

jpeg = read("jpeg/libjpeg-turbo/testorig.jpg")
assert jpeg[-2:] == b"\xff\xd9"
# Issue 12.1: late errors after the last scan, which once left an output behind.
files["jpeg_second_soi_after_scan.jpg"] = jpeg[:-2] + b"\xff\xd8\xff\xd9"
files["jpeg_bogus_marker_ffbb_after_scan.jpg"] = jpeg[:-2] + b"\xff\xbb\x00\x04\x00\x00\xff\xd9"
sof = next(p for p, m, _ in markers(jpeg) if m == 0xC0)
sof_len = struct.unpack(">H", jpeg[sof + 2:sof + 4])[0]
files["jpeg_second_sof_after_scan.jpg"] = jpeg[:-2] + jpeg[sof:sof + 2 + sof_len] + b"\xff\xd9"
# Issue 12.4: a baseline JPEG cut at 90 % of its bytes (double free in the JPEG writer when the output was .jpg).
files["jpeg_cut_at_90_percent.jpg"] = jpeg[:len(jpeg) * 9 // 10]
# Issue 12.11: half of the scan data and an EOI (libjpeg only warns "premature end of data segment").
sos = next(p for p, m, _ in markers(jpeg) if m == 0xDA)
scan_start = sos + 2 + struct.unpack(">H", jpeg[sos + 2:sos + 4])[0]
files["jpeg_half_scan_then_eoi.jpg"] = jpeg[:scan_start + (len(jpeg) - 2 - scan_start) // 2] + b"\xff\xd9"
# Issue 12.9: a small JPEG whose SOF declares 16000×16000 (memory must follow the data, not the header).
declared = bytearray(jpeg)
declared[sof + 5:sof + 9] = struct.pack(">HH", 16000, 16000)
files["jpeg_sof_declares_16000x16000.jpg"] = bytes(declared[:2048]) + b"\xff\xd9"
# The SOF alone, without tables or a scan.
files["jpeg_sof_65535_only.jpg"] = b"\xff\xd8\xff\xc0\x00\x11\x08\xff\xff\xff\xff\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9"

png = read("pngsuite/basn2c08.png")
parts = png_chunks(png)
assert parts[-1][0] == b"IEND"
body = png[:8] + b"".join(raw for kind, raw in parts if kind != b"IEND")
# Issue 12.1: PNG endings that are wrong after all the pixels arrived.
files["png_without_iend.png"] = body
files["png_iend_bad_crc.png"] = body + struct.pack(">I", 0) + b"IEND" + b"\x00\x00\x00\x00"
files["png_truncated_chunk_after_idat.png"] = body + chunk(b"tEXt", b"Comment\x00" + b"x" * 64)[:30]
# Issue 12.9: ~100 bytes declaring 16000×16000 RGBA (once allocated 4 GiB before failing).
ihdr = struct.pack(">IIBBBBB", 16000, 16000, 8, 6, 0, 0, 0)
files["png_16000x16000_rgba_tiny.png"] = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                          + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
# A second IHDR after the first, declaring a huge size.
files["png_second_ihdr_100000.png"] = (png[:8] + parts[0][1]
                                       + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
                                       + b"".join(raw for kind, raw in parts[1:]))

npy = read("npy/f4_hw.npy")
# .npy headers that lie: a shape whose product overflows 64 bits, a negative dimension, a header length past the end.
def npy_with_header(header):
    header = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\x00" * 16
files["npy_shape_overflows_int64.npy"] = npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")
files["npy_negative_dimension.npy"] = npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 4), }")
files["npy_header_length_past_end.npy"] = npy[:8] + b"\xff\xff" + npy[10:40]

for name, data in files.items():
    open(os.path.join(here, name), "wb").write(data)
print(f"wrote {len(files)} files")
