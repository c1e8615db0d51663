/// Some rows of a taller tensor: rows `top ..< top + tensor.h` of every plane of an (N, C, `height`, W)
/// tensor. It is what a sliding-window operation reads to compute some of its output rows, so that an
/// image can flow through a chain of operations a few rows at a time (see ``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``).
///
/// Padding is decided by the real edges, row 0 and row `height − 1`, never by the window's own edges: an
/// operation reading padded row r reads the input row ``PaddingMode``'s rule gives for r on an axis of `height`
/// rows, which the window must hold. A whole tensor is the window with `top` 0 and `height` its own height.
public struct RowWindow: Sendable {
    /// The rows held, as an (N, C, rows, W) tensor.
    public var tensor: Tensor
    /// The first row held, in the full tensor's rows.
    public var top: Int
    /// The full tensor's height.
    public var height: Int

    /// Rows `top ..< top + tensor.h` of a tensor `height` rows tall. Traps unless `top ≥ 0` and
    /// `top + tensor.h ≤ height`.
    public init(_ tensor: Tensor, top: Int, height: Int) {
        precondition(top >= 0 && top + tensor.h <= height, "rows \(top)..<\(top + tensor.h) outside 0..<\(height)")
        self.tensor = tensor
        self.top = top
        self.height = height
    }

    /// A whole tensor.
    public init(whole tensor: Tensor) {
        self.init(tensor, top: 0, height: tensor.h)
    }

    /// The rows held, in the full tensor's rows.
    public var rows: Range<Int> { top ..< top + tensor.h }

    /// The full tensor's shape.
    public var fullShape: TensorShape { TensorShape(n: tensor.n, c: tensor.c, h: height, w: tensor.w) }

    /// Whether this is the whole tensor.
    public var isWhole: Bool { top == 0 && tensor.h == height }

    /// The same rows with the planes replaced (same N·C·rows·W layout rules, any channel count).
    public func replacing(_ tensor: Tensor) -> RowWindow {
        RowWindow(tensor, top: top, height: height)
    }
}

/// The input rows that output rows `rows` of a sliding window read along the vertical axis, as one range
/// (their hull): the one row-dependency rule of convolution, pooling and padding.
///
/// Output row i reads padded rows i·s + ky·d for ky < k, that is input rows i·s + ky·d − padBefore; rows
/// outside 0..<height read the row ``PaddingMode``'s rule gives (reflected, replicated, wrapped), or nothing for a
/// constant mode (and for `mode` nil, pooling's −∞). So
///
///     first = (rows.first)·s − padBefore,   last = (rows.last)·s − padBefore + (k − 1)·d
///
/// clipped to the input, widened by the rows the padding rule reads for positions outside it. Vertical circular
/// padding reads the opposite edge, so its first and last rows need the whole input: such a step is a barrier.
/// Empty when the rows are empty or read only constant padding.
public func inputRows(for rows: Range<Int>, kernel: Int, stride: Int, dilation: Int, padBefore: Int, height: Int,
                      mode: PaddingMode?) -> Range<Int> {
    guard !rows.isEmpty, height > 0 else { return 0..<0 }
    let first = rows.lowerBound * stride - padBefore
    let last = (rows.upperBound - 1) * stride - padBefore + (kernel - 1) * dilation
    var low = Int.max, high = Int.min
    if max(first, 0) <= min(last, height - 1) { (low, high) = (max(first, 0), min(last, height - 1)) }
    if let mode, mode.constantValue == nil {
        // Positions outside the input, each read through the rule; the rule is periodic with period ≤ 2·height,
        // so beyond that many positions every row is read.
        let outside = max(0, -first) + max(0, last - (height - 1))
        if outside >= 2 * height { return 0..<height }
        for position in Swift.stride(from: first, to: min(0, last + 1), by: 1) {
            if let r = sourceIndex(position, size: height, mode: mode) { low = min(low, r); high = max(high, r) }
        }
        for position in Swift.stride(from: max(height, first), through: last, by: 1) {
            if let r = sourceIndex(position, size: height, mode: mode) { low = min(low, r); high = max(high, r) }
        }
    }
    if low <= high { return low ..< high + 1 }
    let anchor = min(max(first, 0), height)
    return anchor ..< anchor
}
