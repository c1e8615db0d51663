/// The input range pooled into output position `i` of `outputCount` along an axis of `inputCount` samples,
/// PyTorch's adaptive bins:
///
///     start = ⌊i·in / out⌋,   end = ⌈(i + 1)·in / out⌉
///
/// Neighbouring bins overlap when `out` does not divide `in` (7 → 3: 0..<3, 2..<5, 4..<7).
@inlinable
package func adaptiveBin(_ i: Int, inputCount: Int, outputCount: Int) -> Range<Int> {
    (i * inputCount / outputCount)..<(((i + 1) * inputCount + outputCount - 1) / outputCount)
}

/// The input rows that output rows `rows` of an adaptive pooling read: from the first one's bin start to the last
/// one's bin end.
package func adaptiveInputRows(for rows: Range<Int>, inputCount: Int, outputCount: Int) -> Range<Int> {
    guard !rows.isEmpty, outputCount > 0 else { return 0..<0 }
    return adaptiveBin(rows.lowerBound, inputCount: inputCount, outputCount: outputCount).lowerBound
        ..< adaptiveBin(rows.upperBound - 1, inputCount: inputCount, outputCount: outputCount).upperBound
}

/// Checks an adaptive pooling request; PyTorch refuses an empty input plane and a negative output size.
/// Returns the shape of the rows computed (`rows`, or all when nil) and those rows.
private func validateAdaptive(_ window: RowWindow, _ outputSize: Pair, _ rows: Range<Int>?, _ name: String) throws -> (TensorShape, Range<Int>) {
    let input = window.fullShape
    guard input.h >= 1, input.w >= 1 else {
        throw EngineError.shapeMismatch("\(name) needs a non-empty input plane, but it is \(input.h)×\(input.w)")
    }
    guard outputSize.h >= 0, outputSize.w >= 0 else {
        throw EngineError("\(name) output size must not be negative, but it is \(outputSize)")
    }
    let rows = rows ?? 0..<outputSize.h
    precondition(rows.lowerBound >= 0 && rows.upperBound <= outputSize.h, "output rows \(rows) outside 0..<\(outputSize.h)")
    try TensorShape.validateCount(n: input.n, c: input.c, h: rows.count, w: outputSize.w)
    return (TensorShape(n: input.n, c: input.c, h: rows.count, w: outputSize.w), rows)
}

/// `F.adaptive_avg_pool2d`: y[n, c, i, j] = mean of x[n, c, binH(i), binW(j)], bins from the adaptive bins (bin i of n over H is ⌊i·H/n⌋ ..< ⌈(i + 1)·H/n⌉).
/// As PyTorch's CPU kernel: the bin's sum from 0 in row-major order, divided by its height and then by its width.
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: Pair) throws -> Tensor {
    try adaptiveAvgPool2d(RowWindow(whole: input), outputSize: outputSize, rows: nil)
}

/// Output rows `rows` (nil: all) of ``adaptiveAvgPool2d(_:outputSize:)`` on the full input `window` is part of; the
/// window must hold the rows the union of its bins names.
public func adaptiveAvgPool2d(_ window: RowWindow, outputSize: Pair, rows: Range<Int>?) throws -> Tensor {
    let (out, outputRows) = try validateAdaptive(window, outputSize, rows, "adaptive average pooling")
    let height = window.height, width = window.shape.w
    return window.withRowAddresses { inputRows in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount) { plane in
                let y = dst.value + plane * out.planeSize
                for i in outputRows {
                    let rows = adaptiveBin(i, inputCount: height, outputCount: outputSize.h)
                    for j in 0..<out.w {
                        let columns = adaptiveBin(j, inputCount: width, outputCount: out.w)
                        var sum: Float = 0
                        for r in rows {
                            let x = inputRows.row(r, plane: plane)
                            for c in columns { sum += x[c] }
                        }
                        // PyTorch's CPU kernel divides by the bin's height, then by its width.
                        y[(i - outputRows.lowerBound) * out.w + j] = sum / Float(rows.count) / Float(columns.count)
                    }
                }
            }
        }
    }
}

/// `F.adaptive_max_pool2d`: y[n, c, i, j] = max of x[n, c, binH(i), binW(j)], bins from the adaptive bins (bin i of n over H is ⌊i·H/n⌋ ..< ⌈(i + 1)·H/n⌉).
///
/// As PyTorch: scanning each bin row by row from −∞ with the bin's first index, a sample wins when it is
/// greater or NaN (ties keep the first maximum; NaN propagates). Indices are `y·W + x` within the input plane.
public func adaptiveMaxPool2d(_ input: Tensor, outputSize: Pair, returnIndices: Bool = false) throws -> MaxPoolResult {
    try adaptiveMaxPool2d(RowWindow(whole: input), outputSize: outputSize, returnIndices: returnIndices, rows: nil)
}

/// Output rows `rows` (nil: all) of ``adaptiveMaxPool2d(_:outputSize:returnIndices:)`` on the full input `window` is
/// part of; the window must hold the rows the union of its bins names.
public func adaptiveMaxPool2d(_ window: RowWindow, outputSize: Pair, returnIndices: Bool = false,
                              rows: Range<Int>?) throws -> MaxPoolResult {
    let (out, outputRows) = try validateAdaptive(window, outputSize, rows, "adaptive max pooling")
    let height = window.height, width = window.shape.w
    func pool(_ indexBase: UnsafeMutablePointer<Int64>?) -> Tensor {
        window.withRowAddresses { inputRows in
            Tensor(shape: out) { destination in
                guard out.count > 0 else { return }
                let dst = UncheckedSendable(destination.baseAddress!)
                let indexPointer = UncheckedSendable(indexBase)
                parallelFor(out.planeCount) { plane in
                    let y = dst.value + plane * out.planeSize
                    let indices = indexPointer.value.map { $0 + plane * out.planeSize }
                    for i in outputRows {
                        let rows = adaptiveBin(i, inputCount: height, outputCount: outputSize.h)
                        for j in 0..<out.w {
                            let columns = adaptiveBin(j, inputCount: width, outputCount: out.w)
                            var best = -Float.infinity, bestIndex = rows.lowerBound * width + columns.lowerBound
                            for r in rows {
                                let x = inputRows.row(r, plane: plane)
                                for c in columns {
                                    let value = x[c]
                                    if value > best || value.isNaN { best = value; bestIndex = r * width + c }
                                }
                            }
                            y[(i - outputRows.lowerBound) * out.w + j] = best
                            indices?[(i - outputRows.lowerBound) * out.w + j] = Int64(bestIndex)
                        }
                    }
                }
            }
        }
    }
    guard returnIndices else { return MaxPoolResult(output: pool(nil)) }
    var indices = [Int64](repeating: 0, count: out.count)
    let output = indices.withUnsafeMutableBufferPointer { pool($0.baseAddress) }
    return MaxPoolResult(output: output, indices: indices)
}
