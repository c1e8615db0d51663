import TensorEngine

/// EXIF orientation (TIFF tag 0x0112): reading it from an EXIF block (JPEG APP1, PNG eXIf), patching it, and
/// applying it to a tensor.
///
/// Tags: 1 as stored, 2 mirrored left-right, 3 rotated 180°, 4 mirrored top-bottom, 5 transposed,
/// 6 needs a 90° clockwise turn, 7 transverse, 8 needs a 90° counter-clockwise turn (as Pillow's `exif_transpose`).
enum ExifOrientation {
    /// The orientation tag in an EXIF block's TIFF structure (``EmbeddedMetadata/exif``); 1 when absent,
    /// malformed or not 1...8.
    static func parse(_ tiff: [UInt8]) -> Int {
        guard let (at, little) = valueOffset(tiff) else { return 1 }
        let value = little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        return (1...8).contains(value) ? value : 1
    }

    /// `tiff` with its orientation tag set to `orientation` (in the block's own byte order, nothing else moved);
    /// unchanged when it has no well-formed orientation tag.
    static func setting(_ tiff: [UInt8], to orientation: Int) -> [UInt8] {
        guard let (at, little) = valueOffset(tiff) else { return tiff }
        var patched = tiff
        let v = UInt8(clamping: orientation)
        (patched[at], patched[at + 1]) = little ? (v, 0) : (0, v)
        return patched
    }

    /// Where the orientation tag's SHORT value sits in IFD0 (and whether the block is little-endian), or nil.
    private static func valueOffset(_ tiff: [UInt8]) -> (Int, little: Bool)? {
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true   // "II"
        case (0x4D, 0x4D): little = false  // "MM"
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[at]), b = Int(tiff[at + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(little ? at : at + 2), let hi = u16(little ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for i in 0..<count {
            let entry = ifd + 2 + 12 * i
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                guard u16(entry + 2) == 3, u32(entry + 4) == 1, u16(entry + 8) != nil else { return nil }  // SHORT, count 1
                return (entry + 8, little)
            }
        }
        return nil
    }

    /// The size (width, height) an image of stored size `width`×`height` is displayed at.
    static func displayedSize(width: Int, height: Int, orientation: Int) -> (width: Int, height: Int) {
        orientation >= 5 && orientation <= 8 ? (height, width) : (width, height)
    }

    /// `tensor` turned/mirrored so that it looks as displayed. Orientation 1 (or invalid) returns it unchanged.
    static func apply(_ tensor: Tensor, orientation: Int) -> Tensor {
        guard (2...8).contains(orientation) else { return tensor }
        let w = tensor.w, h = tensor.h
        let map = OrientationMap(orientation: orientation, storedWidth: w, storedHeight: h)
        let (outW, outH, start, stepX, stepY) = (map.width, map.height, map.start, map.stepX, map.stepY)
        let plane = w * h
        let shape = TensorShape(n: tensor.n, c: tensor.c, h: outH, w: outW)
        return tensor.withUnsafeBufferPointer { src in
            Tensor(shape: shape) { dst in
                guard plane > 0 else { return }
                for p in 0..<shape.planeCount {
                    let s = src.baseAddress! + p * plane + start
                    var d = dst.baseAddress! + p * plane
                    for y in 0..<outH {
                        let row = s + y * stepY
                        for x in 0..<outW { d[x] = row[x * stepX] }
                        d += outW
                    }
                }
            }
        }
    }
}
