import TensorEngine

extension RowWindow {
    /// Rows `rows` of `input` as a window of pieces cut at random rows, each piece the middle of a taller tensor whose
    /// other rows are NaN: what a row stage hands over when a window spans several strips. An operation that reads a
    /// row where the window does not keep it, or reads outside a piece, sees NaN.
    public static func scattered(_ input: Tensor, rows: Range<Int>, rng: inout SplitMix64) -> RowWindow {
        var parts: [(tensor: Tensor, rows: Range<Int>)] = []
        var row = rows.lowerBound
        repeat {
            let count = min(rows.upperBound - row, 1 + rng.below(max(1, rows.count / 2 + 1)))
            let above = rng.below(3), below = rng.below(3)
            var piece = Tensor(shape: TensorShape(n: input.n, c: input.c, h: above + count + below, w: input.w), repeating: .nan)
            for n in 0..<input.n { for c in 0..<input.c { for y in 0..<count { for x in 0..<input.w {
                piece[n, c, above + y, x] = input[n, c, row + y, x]
            } } } }
            parts.append((piece, above ..< above + count))
            row += count
        } while row < rows.upperBound
        return RowWindow(parts: parts, top: rows.lowerBound, height: input.h)
    }
}
