/// The input range pooled into output position `i` of `outputCount` along an axis of `inputCount` samples,
/// PyTorch's adaptive bins:
///
///     start = ⌊i·in / out⌋,   end = ⌈(i + 1)·in / out⌉
///
/// Neighbouring bins overlap when `out` does not divide `in` (7 → 3: 0..<3, 2..<5, 4..<7).
@inlinable
public func adaptiveBin(_ i: Int, inputCount: Int, outputCount: Int) -> Range<Int> {
    (i * inputCount / outputCount)..<(((i + 1) * inputCount + outputCount - 1) / outputCount)
}

/// Checks an adaptive pooling request; PyTorch refuses an empty input plane and a negative output size.
private func validateAdaptive(_ input: TensorShape, _ outputSize: Pair, _ name: String) throws -> TensorShape {
    guard input.h >= 1, input.w >= 1 else {
        throw EngineError("\(name) needs a non-empty input plane, but it is \(input.h)×\(input.w)")
    }
    guard outputSize.h >= 0, outputSize.w >= 0 else {
        throw EngineError("\(name) output size must not be negative, but it is \(outputSize)")
    }
    try TensorShape.validateCount(n: input.n, c: input.c, h: outputSize.h, w: outputSize.w)
    return TensorShape(n: input.n, c: input.c, h: outputSize.h, w: outputSize.w)
}

/// `F.adaptive_avg_pool2d`: y[n, c, i, j] = mean of x[n, c, binH(i), binW(j)], bins from ``adaptiveBin(_:inputCount:outputCount:)``.
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: Pair) throws -> Tensor {
    let out = try validateAdaptive(input.shape, outputSize, "adaptive average pooling")
    let height = input.h, width = input.w
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let src = UncheckedSendable(source.baseAddress!), dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount) { plane in
                let x = src.value + plane * height * width, y = dst.value + plane * out.planeSize
                for i in 0..<out.h {
                    let rows = adaptiveBin(i, inputCount: height, outputCount: out.h)
                    for j in 0..<out.w {
                        let columns = adaptiveBin(j, inputCount: width, outputCount: out.w)
                        var sum: Float = 0
                        for r in rows {
                            for c in columns { sum += x[r * width + c] }
                        }
                        y[i * out.w + j] = sum / Float(rows.count * columns.count)
                    }
                }
            }
        }
    }
}

/// `F.adaptive_max_pool2d`: y[n, c, i, j] = max of x[n, c, binH(i), binW(j)], bins from ``adaptiveBin(_:inputCount:outputCount:)``.
///
/// As PyTorch: scanning each bin row by row from −∞ with the bin's first index, a sample wins when it is
/// greater or NaN (ties keep the first maximum; NaN propagates). Indices are `y·W + x` within the input plane.
public func adaptiveMaxPool2d(_ input: Tensor, outputSize: Pair, returnIndices: Bool = false) throws -> (output: Tensor, indices: [Int64]?) {
    let out = try validateAdaptive(input.shape, outputSize, "adaptive max pooling")
    let height = input.h, width = input.w
    func pool(_ indexBase: UnsafeMutablePointer<Int64>?) -> Tensor {
        input.withUnsafeBufferPointer { source in
            Tensor(shape: out) { destination in
                guard out.count > 0 else { return }
                let src = UncheckedSendable(source.baseAddress!), dst = UncheckedSendable(destination.baseAddress!)
                let indexPointer = UncheckedSendable(indexBase)
                parallelFor(out.planeCount) { plane in
                    let x = src.value + plane * height * width, y = dst.value + plane * out.planeSize
                    let indices = indexPointer.value.map { $0 + plane * out.planeSize }
                    for i in 0..<out.h {
                        let rows = adaptiveBin(i, inputCount: height, outputCount: out.h)
                        for j in 0..<out.w {
                            let columns = adaptiveBin(j, inputCount: width, outputCount: out.w)
                            var best = -Float.infinity, bestIndex = rows.lowerBound * width + columns.lowerBound
                            for r in rows {
                                for c in columns {
                                    let value = x[r * width + c]
                                    if value > best || value.isNaN { best = value; bestIndex = r * width + c }
                                }
                            }
                            y[i * out.w + j] = best
                            indices?[i * out.w + j] = Int64(bestIndex)
                        }
                    }
                }
            }
        }
    }
    guard returnIndices else { return (pool(nil), nil) }
    var indices = [Int64](repeating: 0, count: out.count)
    let output = indices.withUnsafeMutableBufferPointer { pool($0.baseAddress) }
    return (output, indices)
}
