#!/usr/bin/env bash
# Makes the EXIF/XMP fixtures once (needs exiftool: Debian's libimage-exiftool-perl, numpy and a built imgconv);
# the tests read the committed files and reference.json, never these tools.
#
# base: a 4 wide × 3 high image whose 12 pixels all differ, so every orientation gives a different tensor.
# Each fixture gets an EXIF block (byte order II or MM, an Orientation, Make, Artist) and an XMP packet (dc:title).
set -euo pipefail
cd "$(dirname "$0")"
imgconv=${IMGCONV:-../../../../.build/debug/imgconv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c "
import numpy as np
v = np.arange(36, dtype=np.float32).reshape(1, 3, 3, 4) / 35.0
np.save('$work/base.npy', v)
"
"$imgconv" convert "$work/base.npy" "$work/base.png"
"$imgconv" convert "$work/base.npy" "$work/base.jpg" --quality 100
make() {  # make OUT BASE BYTEORDER ORIENTATION
    exiftool -q -o "$1" -ExifByteOrder="$3" -Orientation#="$4" -Make="imgconv fixture" -Artist="tests" \
        -XMP-dc:Title="imgconv $1" "$work/$2"
}
rm -f ./*.jpg ./*.png
make jpeg-ii-o6.jpg base.jpg Little-endian 6
make jpeg-mm-o8.jpg base.jpg Big-endian 8
make jpeg-mm-o3.jpg base.jpg Big-endian 3
make png-ii-o6.png base.png Little-endian 6
make png-mm-o5.png base.png Big-endian 5
make png-ii-o2.png base.png Little-endian 2
cp "$work/base.png" plain.png
exiftool -j -n -G -ExifByteOrder -Orientation -Make -Artist -XMP-dc:Title ./*.jpg ./*.png > reference.json
