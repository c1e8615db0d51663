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

/// The column pass of a tall kernel, row by row instead of tap by tap:
///
///     out[x] = Σ_t weights[t] · (row + t·rowStride)[x]    for x in 0..<width
///
/// Same sums as ``convolveRow(_:offsets:weights:taps:bias:into:width:)`` with offsets t·rowStride, but the
/// output row is accumulated four input rows at a time, each read front to back. Reading 61 rows at once
/// per output vector (σ = 10) misses L1 on every load and defeats the prefetcher; streaming them does not.
@inlinable
func accumulateRows(_ row: UnsafePointer<Float>, rowStride: Int, weights: UnsafePointer<Float>, taps: Int,
                    into out: UnsafeMutablePointer<Float>, width: Int) {
    out.update(repeating: 0, count: width)
    var t = 0
    while t < taps {
        let n = min(4, taps - t)
        let r0 = row + t * rowStride
        let r1 = n > 1 ? r0 + rowStride : r0, r2 = n > 2 ? r0 + 2 * rowStride : r0, r3 = n > 3 ? r0 + 3 * rowStride : r0
        let w0 = weights[t], w1 = n > 1 ? weights[t + 1] : 0, w2 = n > 2 ? weights[t + 2] : 0, w3 = n > 3 ? weights[t + 3] : 0
        var x = 0
        while x + 16 <= width {
            var acc = UnsafeRawPointer(out + x).loadUnaligned(as: SIMD16<Float>.self)
            acc += UnsafeRawPointer(r0 + x).loadUnaligned(as: SIMD16<Float>.self) * w0
            acc += UnsafeRawPointer(r1 + x).loadUnaligned(as: SIMD16<Float>.self) * w1
            acc += UnsafeRawPointer(r2 + x).loadUnaligned(as: SIMD16<Float>.self) * w2
            acc += UnsafeRawPointer(r3 + x).loadUnaligned(as: SIMD16<Float>.self) * w3
            UnsafeMutableRawPointer(out + x).storeBytes(of: acc, as: SIMD16<Float>.self)
            x += 16
        }
        while x < width {
            out[x] += r0[x] * w0 + r1[x] * w1 + r2[x] * w2 + r3[x] * w3
            x += 1
        }
        t += 4
    }
}

/// ``convolveRow(_:offsets:weights:taps:bias:into:width:)`` for weights that read the same from both ends
/// (`weights[t] == weights[taps − 1 − t]`, as a Gaussian's do), adding each mirrored pair of samples first:
///
///     out[j] = bias + Σ_{t < taps/2} weights[t] · (row[offsets[t] + j] + row[offsets[taps − 1 − t] + j])
///                   + (taps odd ? weights[m] · row[offsets[m] + j] : 0),    m = taps / 2
///
/// ⌈taps/2⌉ multiplications per output instead of taps; the sums differ from the unpaired ones by rounding only.
@inlinable
func convolveSymmetricRow(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    bias: Float, into out: UnsafeMutablePointer<Float>, width: Int
) {
    let pairs = taps / 2, middle = taps % 2 == 1 ? taps / 2 : -1
    if width >= 16 {
        var start = 0
        while true {
            if start > width - 16 { start = width - 16 }
            let source = row + start
            var acc = SIMD16<Float>(repeating: bias)
            if middle >= 0 {
                acc += UnsafeRawPointer(source + offsets[middle]).loadUnaligned(as: SIMD16<Float>.self) * weights[middle]
            }
            for t in 0..<pairs {
                let a = UnsafeRawPointer(source + offsets[t]).loadUnaligned(as: SIMD16<Float>.self)
                let b = UnsafeRawPointer(source + offsets[taps - 1 - t]).loadUnaligned(as: SIMD16<Float>.self)
                acc += (a + b) * weights[t]
            }
            UnsafeMutableRawPointer(out + start).storeBytes(of: acc, as: SIMD16<Float>.self)
            if start == width - 16 { break }
            start += 16
        }
    } else {
        convolveRow(row, offsets: offsets, weights: weights, taps: taps, bias: bias, into: out, width: width)
    }
}

/// Whether `weights` read the same from both ends, so that ``convolveSymmetricRow(_:offsets:weights:taps:bias:into:width:)`` applies.
@inlinable
func isSymmetric(_ weights: [Float]) -> Bool {
    weights.count > 2 && (0..<weights.count / 2).allSatisfy { weights[$0] == weights[weights.count - 1 - $0] }
}
