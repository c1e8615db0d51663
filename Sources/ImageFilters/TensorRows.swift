import TensorEngine

/// Horizontal strips of tensors: what running a row-local filter on strips of an image needs.
extension Tensor {
    /// Rows `range` of every plane, as a new (N, C, range.count, W) tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= h, "row range \(range) outside 0..<\(h)")
        if range == 0..<h { return self }
        let out = TensorShape(n: n, c: c, h: range.count, w: w)
        let plane = shape.planeSize, width = w
        return withUnsafeBufferPointer { src in
            Tensor(shape: out) { dst in
                guard out.count > 0 else { return }
                for p in 0..<shape.planeCount {
                    (dst.baseAddress! + p * out.planeSize)
                        .update(from: src.baseAddress! + p * plane + range.lowerBound * width, count: out.planeSize)
                }
            }
        }
    }

    /// `parts` one under the other (concatenation along H); all must share N, C and W.
    public static func stackingRows(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "nothing to stack")
        if parts.count == 1 { return parts[0] }
        let first = parts[0].shape
        precondition(parts.allSatisfy { $0.n == first.n && $0.c == first.c && $0.w == first.w }, "cannot stack tensors of different N, C or W")
        let height = parts.reduce(0) { $0 + $1.h }
        let out = TensorShape(n: first.n, c: first.c, h: height, w: first.w)
        return Tensor(shape: out) { dst in
            guard out.count > 0 else { return }
            var row = 0
            for part in parts {
                part.withUnsafeBufferPointer { src in
                    for p in 0..<out.planeCount where part.shape.planeSize > 0 {
                        (dst.baseAddress! + p * out.planeSize + row * out.w)
                            .update(from: src.baseAddress! + p * part.shape.planeSize, count: part.shape.planeSize)
                    }
                }
                row += part.h
            }
        }
    }
}
