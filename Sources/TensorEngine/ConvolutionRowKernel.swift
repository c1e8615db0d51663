/// The inner loop of convolution: one output row as a weighted sum of shifted input rows,
///
///     out[j] = bias + Σ_t weights[t] · row[offsets[t] + j·stride]    for j in 0..<width
///
/// where `row` points into a padded input (so no index is ever out of bounds) and each tap t
/// is one (input channel, ky, kx) with its offset precomputed. For stride 1 the output is
/// computed 16 (then 8) lanes at a time in registers over all taps; the last vector overlaps
/// the previous one instead of falling back to scalars, which is safe because every lane is
/// recomputed from scratch. Products are added with `+=` on SIMD values (not `addProduct`, a
/// slow library call on this target).
@inlinable
func convolveRow(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    stride: Int, bias: Float, into out: UnsafeMutablePointer<Float>, width: Int
) {
    if stride == 1 && width >= 16 {
        var start = 0
        while true {
            if start > width - 16 { start = width - 16 }
            var acc = SIMD16<Float>(repeating: bias)
            let source = row + start
            for t in 0..<taps {
                acc += UnsafeRawPointer(source + offsets[t]).loadUnaligned(as: SIMD16<Float>.self) * weights[t]
            }
            UnsafeMutableRawPointer(out + start).storeBytes(of: acc, as: SIMD16<Float>.self)
            if start == width - 16 { break }
            start += 16
        }
    } else if stride == 1 && width >= 8 {
        var start = 0
        while true {
            if start > width - 8 { start = width - 8 }
            var acc = SIMD8<Float>(repeating: bias)
            let source = row + start
            for t in 0..<taps {
                acc += UnsafeRawPointer(source + offsets[t]).loadUnaligned(as: SIMD8<Float>.self) * weights[t]
            }
            UnsafeMutableRawPointer(out + start).storeBytes(of: acc, as: SIMD8<Float>.self)
            if start == width - 8 { break }
            start += 8
        }
    } else {
        for j in 0..<width {
            let source = row + j * stride
            var acc = bias
            for t in 0..<taps {
                acc += source[offsets[t]] * weights[t]
            }
            out[j] = acc
        }
    }
}
