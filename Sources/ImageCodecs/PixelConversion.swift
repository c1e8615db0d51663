/// Tight loops between interleaved integer rows (as codecs use) and Float planes (as tensors use).
///
/// Decoding: 8-bit v → v/255 (through a 256-entry table), 16-bit v → v/65535.
/// Encoding: clamp to [0, 1] (NaN → 0), scale by 255 or 65535, round to nearest.
enum PixelConversion {
    /// `Float(v) / 255` for every byte value.
    static let unit8: [Float] = (0..<256).map { Float($0) / 255 }

    /// Spreads `rows` interleaved 8-bit rows (`width`×`channels` bytes each, `stride` apart) into the
    /// planes of `planes` (channel c at `planes + c·planeSize`), starting at row `firstRow`.
    static func deinterleave(_ src: UnsafePointer<UInt8>, stride: Int, rows: Int, width: Int, channels: Int,
                             into planes: UnsafeMutablePointer<Float>, planeSize: Int, firstRow: Int) {
        unit8.withUnsafeBufferPointer { table in
            let lut = table.baseAddress!
            for y in 0..<rows {
                let row = src + y * stride
                let out = planes + (firstRow + y) * width
                if channels == 1 {
                    for x in 0..<width { out[x] = lut[Int(row[x])] }
                    continue
                }
                for c in 0..<channels {
                    let plane = out + c * planeSize
                    var s = row + c
                    for x in 0..<width {
                        plane[x] = lut[Int(s.pointee)]
                        s += channels
                    }
                }
            }
        }
    }

    /// As ``deinterleave(_:stride:rows:width:channels:into:planeSize:firstRow:)`` for 16-bit samples in host order.
    static func deinterleave16(_ src: UnsafePointer<UInt8>, stride: Int, rows: Int, width: Int, channels: Int,
                               into planes: UnsafeMutablePointer<Float>, planeSize: Int, firstRow: Int) {
        let scale: Float = 65535
        for y in 0..<rows {
            let row = UnsafeRawPointer(src + y * stride)
            let out = planes + (firstRow + y) * width
            for c in 0..<channels {
                let plane = out + c * planeSize
                for x in 0..<width {
                    let v = row.loadUnaligned(fromByteOffset: 2 * (x * channels + c), as: UInt16.self)
                    plane[x] = Float(v) / scale
                }
            }
        }
    }

    /// Interleaved 8-bit rows (`width`×`channels` bytes, no padding) from `channels` planes.
    static func interleave8(_ planes: UnsafePointer<Float>, planeSize: Int, channels: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: planeSize * channels) { out, count in
            let dst = out.baseAddress!
            switch channels {
            case 1:
                for i in 0..<planeSize { dst[i] = quantize8(planes[i]) }
            case 3:  // the common case, one pixel at a time so stores stay sequential
                let r = planes, g = planes + planeSize, b = planes + 2 * planeSize
                for i in 0..<planeSize {
                    dst[3 * i] = quantize8(r[i])
                    dst[3 * i + 1] = quantize8(g[i])
                    dst[3 * i + 2] = quantize8(b[i])
                }
            default:
                for c in 0..<channels {
                    let plane = planes + c * planeSize
                    var d = dst + c
                    for i in 0..<planeSize {
                        d.pointee = quantize8(plane[i])
                        d += channels
                    }
                }
            }
            count = planeSize * channels
        }
    }

    /// Interleaved 16-bit samples in host order, as bytes.
    static func interleave16(_ planes: UnsafePointer<Float>, planeSize: Int, channels: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: planeSize * channels * 2) { out, count in
            let dst = UnsafeMutableRawPointer(out.baseAddress!)
            for c in 0..<channels {
                let plane = planes + c * planeSize
                for i in 0..<planeSize {
                    dst.storeBytes(of: quantize16(plane[i]), toByteOffset: 2 * (i * channels + c), as: UInt16.self)
                }
            }
            count = planeSize * channels * 2
        }
    }

    @inline(__always) static func quantize8(_ v: Float) -> UInt8 {
        UInt8(truncatingIfNeeded: roundHalfUp(v > 0 ? min(v, 1) * 255 : 0))  // NaN → 0
    }

    @inline(__always) static func quantize16(_ v: Float) -> UInt16 {
        UInt16(truncatingIfNeeded: roundHalfUp(v > 0 ? min(v, 1) * 65535 : 0))
    }

    /// `x.rounded()` (half away from zero) for 0 ≤ x < 2²³, without a libm call: truncate, then
    /// compare the exact remainder with ½. (Adding ½ before truncating is wrong just below ½.)
    @inline(__always) static func roundHalfUp(_ x: Float) -> Int32 {
        let t = Int32(x)
        return x - Float(t) >= 0.5 ? t + 1 : t
    }
}
