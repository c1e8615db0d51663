/// The fast path of max and average pooling, taken when every window lies inside the input (no padding,
/// dilation 1, and with `ceilMode` no window that runs past the edge), which covers the usual
/// 2×2-stride-2 shrink. Then the window reduction splits into a vertical one over kH whole input rows
/// (vectorised, into a row buffer) and a horizontal one over kW samples at stride sW (vectorised for
/// kW = sW = 2 by splitting 16 lanes into their even and odd halves; scalar otherwise, on a cached row).
///
/// Max: NaN if any sample is NaN, else the largest (what PyTorch's scan returns; the fast path gives no indices).
/// Average: the window sum divided by `divisor`, which is kH·kW or the override (with no padding
/// `countIncludePad` changes nothing). The sum runs column-first, so it matches PyTorch up to rounding.
enum PoolReduction: Sendable {
    case max
    case average(divisor: Float)
}

extension Pool2dGeometry {
    /// Every window lies inside the input.
    var windowsInsideInput: Bool {
        padding == Pair(0) && dilation == Pair(1)
            && (output.h - 1) * stride.h + kernel.h <= height && (output.w - 1) * stride.w + kernel.w <= width
    }
}

/// Output rows `rows` of every plane on the fast path; `window` holds the input rows they read (rows of planes
/// g.height × g.width).
func poolWindowsInside(_ window: RowWindow, rows outputRows: Range<Int>, geometry g: Pool2dGeometry, reduction: PoolReduction) -> Tensor {
    let input = window.tensor
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let usedWidth = (out.w - 1) * g.stride.w + g.kernel.w
    let bands = (4 * activeProcessorCount + out.planeCount - 1) / max(1, out.planeCount)
    let band = max(1, (out.h + bands - 1) / bands)
    let bandsPerPlane = (out.h + band - 1) / band
    let inputPlane = input.h * input.w, firstRow = window.top
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let src = UncheckedSendable(source.baseAddress!), dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount * bandsPerPlane, scratchCount: usedWidth) { item, row in
                let plane = item / bandsPerPlane, first = outputRows.lowerBound + (item % bandsPerPlane) * band
                let input = src.value + plane * inputPlane
                for i in first ..< min(first + band, outputRows.upperBound) {
                    let top = input + (i * g.stride.h - firstRow) * g.width
                    row.update(from: top, count: usedWidth)
                    for ky in 1..<g.kernel.h {
                        combineRow(top + ky * g.width, into: row, count: usedWidth, reduction: reduction)
                    }
                    reduceAlongRow(row, geometry: g, reduction: reduction,
                                   into: dst.value + plane * out.planeSize + (i - outputRows.lowerBound) * out.w)
                }
            }
        }
    }
}

/// row[x] = row[x] ⊕ next[x] for x < count, ⊕ being max or +.
@inline(__always)
private func combineRow(_ next: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, count: Int, reduction: PoolReduction) {
    var x = 0
    switch reduction {
    case .max:
        combineRow(Maximum.self, next, into: row, count: count)
    case .average:
        while x + 16 <= count {
            let a = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(next + x).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(row + x).storeBytes(of: a + b, as: SIMD16<Float>.self)
            x += 16
        }
        while x < count { row[x] += next[x]; x += 1 }
    }
}

/// out[j] = ⊕ of row[j·sW ..< j·sW + kW] (divided by the divisor for an average), j < output width.
@inline(__always)
private func reduceAlongRow(_ row: UnsafePointer<Float>, geometry g: Pool2dGeometry, reduction: PoolReduction,
                            into out: UnsafeMutablePointer<Float>) {
    let width = g.output.w
    var j = 0
    if g.kernel.w == 2 && g.stride.w == 2 {
        while j + 8 <= width {
            let v = UnsafeRawPointer(row + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
            let r: SIMD8<Float>
            switch reduction {
            case .max: r = maxKeepingNaN(v.evenHalf, v.oddHalf)
            case .average(let divisor): r = (v.evenHalf + v.oddHalf) / divisor
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: r, as: SIMD8<Float>.self)
            j += 8
        }
    }
    while j < width {
        let window = row + j * g.stride.w
        switch reduction {
        case .max:
            var m = window[0]
            for kx in 1..<g.kernel.w { m = maxKeepingNaN(m, window[kx]) }
            out[j] = m
        case .average(let divisor):
            var s: Float = 0
            for kx in 0..<g.kernel.w { s += window[kx] }
            out[j] = s / divisor
        }
        j += 1
    }
}
