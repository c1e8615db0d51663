/// Horizontal strips of tensors.
extension Tensor {
    /// Rows `range` of every plane, as a new (N, C, range.count, W) tensor.
    package func rows(_ range: Range<Int>) -> Tensor {
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
}
