/// Tight loops between interleaved integer rows (as codecs use) and Float planes (as tensors use).
///
/// Decoding: 8-bit v → v/255 (through a 256-entry table), 16-bit v → v/65535.
/// Encoding: clamp to [0, 1] (NaN → 0), scale by 255 or 65535, round to nearest.
enum PixelConversion {
    /// `Float(v) / 255` for every byte value.
    static let unit8: [Float] = (0..<256).map { Float($0) / 255 }

    /// Spreads `rows` interleaved 8-bit rows (`width`×`channels` bytes each, `stride` apart) into the
    /// planes of `planes` (channel c at `planes + c·planeSize`), starting at row `firstRow`: v → ``unit8``[v].
    /// Gray and RGB rows go eight pixels at a time through ``unit8(_:)``.
    static func deinterleave(_ src: UnsafePointer<UInt8>, stride: Int, rows: Int, width: Int, channels: Int,
                             into planes: UnsafeMutablePointer<Float>, planeSize: Int, firstRow: Int) {
        unit8.withUnsafeBufferPointer { table in
            let lut = table.baseAddress!
            for y in 0..<rows {
                let row = src + y * stride
                let out = planes + (firstRow + y) * width
                var x = 0
                if channels == 1 {
                    let bytes = UnsafeRawPointer(row)
                    while x + 8 <= width {
                        let v = SIMD8<UInt32>(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: x, as: SIMD8<UInt8>.self))
                        store8(unit8(v), at: out + x)
                        x += 8
                    }
                    while x < width { out[x] = lut[Int(row[x])]; x += 1 }
                    continue
                }
                if channels == 3 {
                    // Eight pixels from four 8-byte loads, 6 bytes apart (two pixels each; the ninth pixel
                    // must exist, as the last load reads two bytes of it), unpacked into 32-bit lanes.
                    let r = out, g = out + planeSize, b = out + 2 * planeSize
                    let bytes = UnsafeRawPointer(row)
                    while x + 9 <= width {
                        let at = 3 * x
                        let pairs = SIMD4<UInt64>(bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self),
                                                  bytes.loadUnaligned(fromByteOffset: at + 6, as: UInt64.self),
                                                  bytes.loadUnaligned(fromByteOffset: at + 12, as: UInt64.self),
                                                  bytes.loadUnaligned(fromByteOffset: at + 18, as: UInt64.self))
                        let pixels = unsafeBitCast((pairs & 0xFF_FFFF) | ((pairs &>> 24) & 0xFF_FFFF) &<< 32, to: SIMD8<UInt32>.self)
                        store8(unit8(pixels & 0xFF), at: r + x)
                        store8(unit8((pixels &>> 8) & 0xFF), at: g + x)
                        store8(unit8(pixels &>> 16), at: b + x)
                        x += 8
                    }
                    while x < width {
                        let p = row + 3 * x
                        r[x] = lut[Int(p[0])]
                        g[x] = lut[Int(p[1])]
                        b[x] = lut[Int(p[2])]
                        x += 1
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

    /// ``unit8``[v] for eight values v < 256, without a table: v/255 as v·h + v·l, where h + l is 1/255 and
    /// h has 16 significant bits, so that v·h is exact and the one rounding of the sum gives the correctly
    /// rounded quotient for every v (checked for all 256 in the tests).
    @_transparent static func unit8(_ v: SIMD8<UInt32>) -> SIMD8<Float> {
        let f = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v))
        return f * unit8High + f * unit8Low
    }

    /// 1/255 to 16 significant bits, and the rest of 1/255 (see ``unit8(_:)``).
    static let unit8High: Float = 0x1.0102p-8, unit8Low: Float = -0x1.fdfdfep-25

    @_transparent static func store8(_ v: SIMD8<Float>, at p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
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
    /// exactly ``quantize8(_:)``, eight samples at a time. Returns how many samples lay outside [0, 1]
    /// (NaN included): the ones the clamp changed, as ``/ImageFilters/ValuePolicy`` `clamp` counts them.
    @discardableResult
    static func interleave8(_ planes: UnsafePointer<Float>, planeStride: Int, channels: Int, count: Int,
                            into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var outside = SIMD8<UInt32>(repeating: 0)
        switch channels {
        case 1:
            let out = UnsafeMutableRawPointer(dst)
            while i + 8 <= count {
                let q = quantize8Lanes(load8(planes + i), outside: &outside)
                out.storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: q), toByteOffset: i, as: SIMD8<UInt8>.self)
                i += 8
            }
        case 3:
            // Eight pixels r | g << 8 | b << 16 in 32-bit lanes; pairs of them, seen as 64-bit lanes, are
            // packed into 6 bytes each and stored 8 bytes at a time, 6 apart: the two extra bytes are
            // overwritten by the next store. The last pixels of the run are left to the scalar tail.
            let r = planes, g = planes + planeStride, b = planes + 2 * planeStride
            let out = UnsafeMutableRawPointer(dst)
            while i + 11 <= count {
                let pixel = quantize8Lanes(load8(r + i), outside: &outside)
                    | quantize8Lanes(load8(g + i), outside: &outside) &<< 8
                    | quantize8Lanes(load8(b + i), outside: &outside) &<< 16
                let pairs = unsafeBitCast(pixel, to: SIMD4<UInt64>.self)  // lane k: pixel 2k | pixel 2k+1 << 32
                let packed = (pairs & 0xFF_FFFF) | ((pairs &>> 8) & 0xFFFF_FF00_0000)
                let at = 3 * i
                out.storeBytes(of: packed[0], toByteOffset: at, as: UInt64.self)
                out.storeBytes(of: packed[1], toByteOffset: at + 6, as: UInt64.self)
                out.storeBytes(of: packed[2], toByteOffset: at + 12, as: UInt64.self)
                out.storeBytes(of: packed[3], toByteOffset: at + 18, as: UInt64.self)
                i += 8
            }
        default:
            break
        }
        // The tail (and 2- and 4-channel images) one sample at a time.
        var clamped = Int(outside.wrappedSum())
        for c in 0..<channels {
            let plane = planes + c * planeStride
            for j in i..<count {
                let v = plane[j]
                if !(v >= 0 && v <= 1) { clamped += 1 }
                dst[j * channels + c] = quantize8(v)
            }
        }
        return clamped
    }

    /// As ``interleave8(_:planeStride:channels:count:into:)`` with 16-bit samples in host order
    /// (`count`×`channels`×2 bytes), exactly ``quantize16(_:)``; returns how many samples lay outside [0, 1].
    @discardableResult
    static func interleave16(_ planes: UnsafePointer<Float>, planeStride: Int, channels: Int, count: Int,
                             into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let out = UnsafeMutableRawPointer(dst)
        var clamped = 0
        for c in 0..<channels {
            let plane = planes + c * planeStride
            for j in 0..<count {
                let v = plane[j]
                if !(v >= 0 && v <= 1) { clamped += 1 }
                out.storeBytes(of: quantize16(v), toByteOffset: 2 * (j * channels + c), as: UInt16.self)
            }
        }
        return clamped
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// ``quantize8(_:)`` on eight lanes, as 32-bit lanes holding 0...255, with adds, compares and selects only
    /// (no float → int conversion, which would not vectorise): 2²³ + x rounds x to nearest-even in the low
    /// mantissa bits; a tie that went down (x − r = ½) is moved up, which is rounding half up.
    /// Lanes outside [0, 1] (NaN included) add one each to `outside`.
    /// `@_transparent` here and on the other vector helpers: with `@inline(__always)` the compiler still
    /// called this out of line from the RGB loop, one call per plane per eight pixels.
    @_transparent static func quantize8Lanes(_ v: SIMD8<Float>, outside: inout SIMD8<UInt32>) -> SIMD8<UInt32> {
        let zero = SIMD8<Float>(repeating: 0), one = SIMD8<Float>(repeating: 1)
        var x = v.replacing(with: zero, where: .!(v .> zero))  // negative and NaN → 0
        x = x.replacing(with: one, where: .!(x .< one))
        outside &+= SIMD8<UInt32>(repeating: 0).replacing(with: 1, where: x .!= v)  // changed by the clamp (NaN ≠ 0; −0 = 0)
        x *= 255
        let magic = SIMD8<Float>(repeating: 8_388_608)  // 2²³
        let m = x + magic
        let r = m - magic
        let bits = unsafeBitCast(m, to: SIMD8<UInt32>.self) & 0xFF  // r as an integer (r ≤ 255)
        return bits &+ SIMD8<UInt32>(repeating: 0).replacing(with: 1, where: x - r .== SIMD8<Float>(repeating: 0.5))
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
