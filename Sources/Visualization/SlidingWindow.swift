import TensorEngine

/// Where a convolution or pooling window visits a plane: kernel, stride, (resolved) padding and dilation.
///
/// In padded coordinates (row 0 = first padding row) output position (r, c) reads the taps
///
///     (r·sH + i·dH,  c·sW + j·dW)   for i < kH, j < kW,
///
/// so its receptive field spans rows r·sH ..< r·sH + dH·(kH − 1) + 1 (and likewise columns), and the
/// output has ``outputSize(input:)`` positions: the engine's one formula.
package struct SlidingWindow: Hashable, Sendable {
    package var kernel: Pair
    package var stride: Pair
    package var padding: Padding
    package var dilation: Pair

    package init(kernel: Pair, stride: Pair, padding: Padding, dilation: Pair) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// d·(k − 1) + 1 along each axis: the rows and columns one window covers.
    package var extent: Pair { Pair(h: dilation.h * (kernel.h - 1) + 1, w: dilation.w * (kernel.w - 1) + 1) }

    /// The output size for an `input`-sized plane (TensorEngine's ``outputSize(input:kernel:stride:padding:dilation:ceilMode:)``).
    package func outputSize(input: Pair) -> Pair {
        TensorEngine.outputSize(input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
    }

    /// The top-left padded sample of output `position`'s window.
    package func origin(of position: GridPoint) -> GridPoint {
        GridPoint(row: position.row * stride.h, column: position.column * stride.w)
    }

    /// Every padded sample output `position` reads, row by row.
    package func taps(of position: GridPoint) -> [GridPoint] {
        let o = origin(of: position)
        return (0..<kernel.h).flatMap { i in
            (0..<kernel.w).map { j in GridPoint(row: o.row + i * dilation.h, column: o.column + j * dilation.w) }
        }
    }

    /// `28×28, k=5, s=2, p=1, d=1 → 13×13`.
    package func summary(input: Pair) -> String {
        let out = outputSize(input: input)
        return "\(input.h)×\(input.w), k=\(kernel), s=\(stride), p=\(padding), d=\(dilation) → \(out.h)×\(out.w)"
    }

    /// The output-size arithmetic with the numbers filled in (TensorEngine's ``outputSizeFormula``), one line
    /// for both axes when they agree, else a `rows:` and a `columns:` line, as `imgconv shape` prints them.
    package func formulaLines(input: Pair) -> [String] {
        let rows = outputSizeFormula(input: input.h, kernel: kernel.h, stride: stride.h, padBefore: padding.top,
                                     padAfter: padding.bottom, dilation: dilation.h)
        let columns = outputSizeFormula(input: input.w, kernel: kernel.w, stride: stride.w, padBefore: padding.left,
                                        padAfter: padding.right, dilation: dilation.w)
        return rows == columns ? ["rows, columns: \(rows)"] : ["rows: \(rows)", "columns: \(columns)"]
    }
}
