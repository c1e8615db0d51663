/// The inner loop of convolution: one output row as a weighted sum of shifted rows,
///
///     out[j] = bias + Σ_t weights[t] · row[offsets[t] + j]    for j in 0..<width
///
/// where `row` points into a band scratch of ``ConvolutionBands`` (so no index is ever out of bounds,
/// and strides were turned into unit steps when the scratch was filled) and each tap t is one
/// (input channel, ky, kx) with its offset precomputed. The output is computed 16 (then 8) lanes at a
/// time in registers over all taps; the last vector overlaps the previous one instead of falling back
/// to scalars, which is safe because every lane is recomputed from scratch. Products are added with
/// `+=` on SIMD values (not `addProduct`, a slow library call per lane on the default x86-64 target).
@inlinable
func convolveRow(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    bias: Float, into out: UnsafeMutablePointer<Float>, width: Int
) {
    if width >= 16 {
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
    } else if width >= 8 {
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
            var acc = bias
            for t in 0..<taps {
                acc += row[offsets[t] + j] * weights[t]
            }
            out[j] = acc
        }
    }
}

/// Four output channels of one output row at once, for dense convolution:
///
///     out[o·channelStride + j] = bias[o] + Σ_t weights[4t + o] · row[offsets[t] + j]    for o < 4, j < width
///
/// Each loaded input vector feeds four accumulators, so loads per multiply-add drop fourfold compared
/// with ``convolveRow(_:offsets:weights:taps:bias:into:width:)``. `weights` are packed tap-major,
/// four per tap. 8 lanes per accumulator keep 4 accumulators, the input and a weight in 16 SSE registers.
@inlinable
func convolveRowBlock4(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    bias: SIMD4<Float>, into out: UnsafeMutablePointer<Float>, channelStride: Int, width: Int
) {
    if width >= 8 {
        var start = 0
        while true {
            if start > width - 8 { start = width - 8 }
            var a0 = SIMD8<Float>(repeating: bias[0]), a1 = SIMD8<Float>(repeating: bias[1])
            var a2 = SIMD8<Float>(repeating: bias[2]), a3 = SIMD8<Float>(repeating: bias[3])
            let source = row + start
            var w = weights
            for t in 0..<taps {
                let x = UnsafeRawPointer(source + offsets[t]).loadUnaligned(as: SIMD8<Float>.self)
                a0 += x * w[0]
                a1 += x * w[1]
                a2 += x * w[2]
                a3 += x * w[3]
                w += 4
            }
            let o = out + start
            UnsafeMutableRawPointer(o).storeBytes(of: a0, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + channelStride).storeBytes(of: a1, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + 2 * channelStride).storeBytes(of: a2, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(o + 3 * channelStride).storeBytes(of: a3, as: SIMD8<Float>.self)
            if start == width - 8 { break }
            start += 8
        }
    } else {
        for j in 0..<width {
            var acc = bias
            for t in 0..<taps {
                acc += SIMD4<Float>(repeating: row[offsets[t] + j]) * UnsafeRawPointer(weights + 4 * t).loadUnaligned(as: SIMD4<Float>.self)
            }
            for o in 0..<4 { out[o * channelStride + j] = acc[o] }
        }
    }
}
