import TensorEngine

/// EXIF orientation (TIFF tag 0x0112): reading it from a JPEG's APP1 segment and applying it to a tensor.
///
/// Tags: 1 as stored, 2 mirrored left-right, 3 rotated 180°, 4 mirrored top-bottom, 5 transposed,
/// 6 needs a 90° clockwise turn, 7 transverse, 8 needs a 90° counter-clockwise turn (as Pillow's `exif_transpose`).
enum ExifOrientation {
    /// The orientation tag in an APP1 payload starting with "Exif\0\0"; 1 when absent, malformed or not 1...8.
    static func parse(_ app1: UnsafeBufferPointer<UInt8>) -> Int {
        let tiff = 6
        guard app1.count >= tiff + 8 else { return 1 }
        let little: Bool
        switch (app1[tiff], app1[tiff + 1]) {
        case (0x49, 0x49): little = true   // "II"
        case (0x4D, 0x4D): little = false  // "MM"
        default: return 1
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= app1.count else { return nil }
            let a = Int(app1[at]), b = Int(app1[at + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(little ? at : at + 2), let hi = u16(little ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(tiff + 2) == 42, let ifd = u32(tiff + 4), let count = u16(tiff + ifd) else { return 1 }
        for i in 0..<count {
            let entry = tiff + ifd + 2 + 12 * i
            guard let tag = u16(entry) else { return 1 }
            if tag == 0x0112 {
                guard u16(entry + 2) == 3, let value = u16(entry + 8), (1...8).contains(value) else { return 1 }
                return value
            }
        }
        return 1
    }

    /// The size (width, height) an image of stored size `width`×`height` is displayed at.
    static func displayedSize(width: Int, height: Int, orientation: Int) -> (width: Int, height: Int) {
        orientation >= 5 && orientation <= 8 ? (height, width) : (width, height)
    }

    /// `tensor` turned/mirrored so that it looks as displayed. Orientation 1 (or invalid) returns it unchanged.
    static func apply(_ tensor: Tensor, orientation: Int) -> Tensor {
        guard (2...8).contains(orientation) else { return tensor }
        let w = tensor.w, h = tensor.h
        let (outW, outH) = displayedSize(width: w, height: h, orientation: orientation)
        // Destination (y', x') reads source index start + y'·stepY + x'·stepX.
        let (start, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case 2: (start, stepX, stepY) = (w - 1, -1, w)
        case 3: (start, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case 4: (start, stepX, stepY) = ((h - 1) * w, 1, -w)
        case 5: (start, stepX, stepY) = (0, w, 1)
        case 6: (start, stepX, stepY) = ((h - 1) * w, -w, 1)
        case 7: (start, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        default: (start, stepX, stepY) = (w - 1, w, -1)  // 8
        }
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
