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
                if channels == 3 {  // one pass over the row, three sequential stores
                    let r = out, g = out + planeSize, b = out + 2 * planeSize
                    for x in 0..<width {
                        let p = row + 3 * x
                        r[x] = lut[Int(p[0])]
                        g[x] = lut[Int(p[1])]
                        b[x] = lut[Int(p[2])]
                    }
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

    /// Writes `count` pixels, starting at `planes` (channel c at `planes + c·planeStride`), as interleaved
    /// 8-bit samples to `dst` (`count`×`channels` bytes): clamped, scaled by 255, rounded half up (NaN → 0),
    /// exactly ``quantize8(_:)``, eight samples at a time.
    static func interleave8(_ planes: UnsafePointer<Float>, planeStride: Int, channels: Int, count: Int,
                            into dst: UnsafeMutablePointer<UInt8>) {
        var i = 0
        switch channels {
        case 1:
            while i + 8 <= count {
                let q = quantize8(load8(planes + i))
                for k in 0..<8 { dst[i + k] = q[k] }
                i += 8
            }
        case 3:
            // Each pixel packed as r | g << 8 | b << 16 and stored as 4 bytes, 3 apart: the fourth byte is
            // overwritten by the next pixel. The last pixel of the row chunk is left to the scalar tail.
            let r = planes, g = planes + planeStride, b = planes + 2 * planeStride
            let out = UnsafeMutableRawPointer(dst)
            while i + 9 <= count {
                let pixel = SIMD8<UInt32>(truncatingIfNeeded: quantize8(load8(r + i)))
                    | SIMD8<UInt32>(truncatingIfNeeded: quantize8(load8(g + i))) &<< 8
                    | SIMD8<UInt32>(truncatingIfNeeded: quantize8(load8(b + i))) &<< 16
                for k in 0..<8 { out.storeBytes(of: pixel[k], toByteOffset: 3 * (i + k), as: UInt32.self) }
                i += 8
            }
        default:
            break
        }
        // The tail (and 2- and 4-channel images) one sample at a time.
        for c in 0..<channels {
            let plane = planes + c * planeStride
            for j in i..<count { dst[j * channels + c] = quantize8(plane[j]) }
        }
    }

    /// As ``interleave8(_:planeStride:channels:count:into:)`` with 16-bit samples in host order
    /// (`count`×`channels`×2 bytes), exactly ``quantize16(_:)``.
    static func interleave16(_ planes: UnsafePointer<Float>, planeStride: Int, channels: Int, count: Int,
                             into dst: UnsafeMutablePointer<UInt8>) {
        let out = UnsafeMutableRawPointer(dst)
        for c in 0..<channels {
            let plane = planes + c * planeStride
            for j in 0..<count {
                out.storeBytes(of: quantize16(plane[j]), toByteOffset: 2 * (j * channels + c), as: UInt16.self)
            }
        }
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// ``quantize8(_:)`` on eight lanes with adds, compares and selects only (no float → int conversion,
    /// which would not vectorise): 2²³ + x rounds x to nearest-even in the low mantissa bits; a tie that went
    /// down (x − r = ½) is moved up, which is rounding half up.
    @inline(__always) static func quantize8(_ v: SIMD8<Float>) -> SIMD8<UInt8> {
        let zero = SIMD8<Float>(repeating: 0), one = SIMD8<Float>(repeating: 1)
        var x = v.replacing(with: zero, where: .!(v .> zero))  // negative and NaN → 0
        x = x.replacing(with: one, where: x .> one) * 255
        let magic = SIMD8<Float>(repeating: 8_388_608)  // 2²³
        var m = x + magic
        let r = m - magic
        m = m.replacing(with: m + one, where: x - r .== SIMD8<Float>(repeating: 0.5))
        return SIMD8<UInt8>(truncatingIfNeeded: unsafeBitCast(m, to: SIMD8<UInt32>.self))
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
