#!/usr/bin/env python3
"""Writes the .npy fixtures for NumpyFileTests with NumPy itself (run once: /usr/bin/python3 make_npy_fixtures.py).

Every accepted file holds arange(count) reshaped, so the Swift test can check values without a second oracle;
the rejected files are what a hostile or careless producer writes.
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))

def save(name, array):
    np.save(os.path.join(here, name), array)

# Accepted: every dtype, every rank, and the three format versions.
save("f4_hw.npy", np.arange(12, dtype="<f4").reshape(3, 4))
save("f8_chw.npy", (np.arange(24, dtype="<f8") / 4).reshape(2, 3, 4))
save("u1_nchw.npy", np.arange(48, dtype="u1").reshape(2, 2, 3, 4))
save("u2_hw.npy", (np.arange(12, dtype="<u2") * 5000).reshape(3, 4))
with open(os.path.join(here, "f4_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(6, dtype="<f4").reshape(2, 3), version=(2, 0))
with open(os.path.join(here, "f4_v3.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(6, dtype="<f4").reshape(2, 3), version=(3, 0))

# What imgconv writes must be byte for byte what np.save writes for the same float32 NCHW array
# (NumpyFileTests.writesTheBytesNumPyWrites builds the same values in Swift).
save("numpy_f4_nchw_2x3x5x7.npy", np.arange(210, dtype="<f4").reshape(2, 3, 5, 7) * np.float32(-0.5) + np.float32(0.1))
# The header with a trailing comma and the 4-D shape in a 1-D-like layout, as NumPy writes it for one value.
save("numpy_f4_nchw_1x1x1x1.npy", np.full((1, 1, 1, 1), -0.0, dtype="<f4"))

# Rejected.
save("bad_fortran.npy", np.asfortranarray(np.arange(12, dtype="<f4").reshape(3, 4)))
save("bad_bigendian.npy", np.arange(12, dtype=">f4").reshape(3, 4))
save("bad_int32.npy", np.arange(12, dtype="<i4").reshape(3, 4))
save("bad_rank1.npy", np.arange(12, dtype="<f4"))
save("bad_rank5.npy", np.arange(32, dtype="<f4").reshape(2, 2, 2, 2, 2))
raw = open(os.path.join(here, "f4_hw.npy"), "rb").read()
open(os.path.join(here, "bad_truncated.npy"), "wb").write(raw[:-5])
# A header that claims far more data than the file has.
open(os.path.join(here, "bad_lying_shape.npy"), "wb").write(raw.replace(b"(3, 4)", b"(9, 9)"))
