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

    /// Rows `range` of each of `parts` one under the other (concatenation along H), copied once;
    /// all parts must share N, C and W. A single part given whole is returned as it is.
    public static func stackingRows(_ parts: [(tensor: Tensor, rows: Range<Int>)]) -> Tensor {
        precondition(!parts.isEmpty, "nothing to stack")
        if parts.count == 1 { return parts[0].tensor.rows(parts[0].rows) }
        let first = parts[0].tensor.shape
        precondition(parts.allSatisfy { $0.tensor.n == first.n && $0.tensor.c == first.c && $0.tensor.w == first.w },
                     "cannot stack tensors of different N, C or W")
        let height = parts.reduce(0) { $0 + $1.rows.count }
        let out = TensorShape(n: first.n, c: first.c, h: height, w: first.w)
        return Tensor(shape: out) { dst in
            guard out.count > 0 else { return }
            var row = 0
            for (part, rows) in parts {
                precondition(rows.lowerBound >= 0 && rows.upperBound <= part.h, "row range \(rows) outside 0..<\(part.h)")
                part.withUnsafeBufferPointer { src in
                    for p in 0..<out.planeCount where !rows.isEmpty {
                        (dst.baseAddress! + p * out.planeSize + row * out.w)
                            .update(from: src.baseAddress! + p * part.shape.planeSize + rows.lowerBound * out.w, count: rows.count * out.w)
                    }
                }
                row += rows.count
            }
        }
    }
}
