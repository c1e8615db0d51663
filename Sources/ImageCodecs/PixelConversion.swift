import CKernels

/// Tight loops between interleaved integer rows (as codecs use) and Float planes (as tensors use).
///
/// Decoding: 8-bit v → v/255, 16-bit v → v/65535.
/// Encoding: clamp to [0, 1] (NaN → 0), scale by 255 or 65535, round half up.
/// The 8-bit loops are CKernels' (`ck_spread8`, `ck_pack8`); the scalar ``quantize8(_:)`` and the
/// ``unit8`` table state the same maths for code that converts one sample at a time.
enum PixelConversion {
    /// `Float(v) / 255` for every byte value.
    static let unit8: [Float] = (0..<256).map { Float($0) / 255 }

    /// Spreads `rows` interleaved 8-bit rows (`width`×`channels` bytes each, `stride` apart) into the
    /// planes of `planes` (channel c at `planes + c·planeSize`), starting at row `firstRow`: v → ``unit8``[v],
    /// the correctly rounded v/255. The loop is `ck_spread8` in CKernels (vector blocks at the CPU's level,
    /// the same floats at every level; its header states the maths).
    static func deinterleave(_ src: UnsafePointer<UInt8>, stride: Int, rows: Int, width: Int, channels: Int,
                             into planes: UnsafeMutablePointer<Float>, planeSize: Int, firstRow: Int) {
        ck_spread8(src, stride, rows, width, channels, planes + firstRow * width, planeSize)
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
    /// exactly ``quantize8(_:)``. Returns how many samples lay outside [0, 1] (NaN included, −0 not): the ones
    /// the clamp changed, as ``/ImageFilters/ValuePolicy`` `clamp` counts them. The loop is `ck_pack8` in
    /// CKernels (vector blocks at the CPU's level, the same bytes at every level).
    @discardableResult
    static func interleave8(_ planes: UnsafePointer<Float>, planeStride: Int, channels: Int, count: Int,
                            into dst: UnsafeMutablePointer<UInt8>) -> Int {
        ck_pack8(planes, planeStride, channels, count, dst)
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
