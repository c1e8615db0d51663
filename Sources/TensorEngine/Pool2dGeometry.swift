/// The sizes of one max or average pooling, checked as PyTorch's `pool2d_shape_check` checks them:
/// kernel, stride and dilation at least 1; padding not negative and at most half the kernel
/// (pH ≤ ⌊kH/2⌋, pW ≤ ⌊kW/2⌋); output at least 1×1; and, for a reading `paddingMode`, the mode's own limits.
///
/// Output size per axis: ⌊(H + pT + pB − d·(k − 1) − 1)/s⌋ + 1 (rounded up in ceil mode) with equal padding on both sides
/// (a structuring element's window, ``maskedPool2d(_:parameters:)``, pads by its anchor before and the rest after).
public struct Pool2dGeometry: Sendable {
    /// The window (kH, kW).
    public let kernel: Pair
    /// The stride, the kernel when none was given.
    public let stride: Pair
    /// Padding above and left (and, for PyTorch's pooling, below and right too).
    public let padding: Pair
    /// Padding below and right: `padding` for PyTorch's pooling.
    public let paddingAfter: Pair
    /// Spacing between window taps.
    public let dilation: Pair
    /// The input's height H.
    public let height: Int
    /// The input's width W.
    public let width: Int
    /// (N, C, H_out, W_out), H_out = ⌊(H + pT + pB − d·(k − 1) − 1)/s⌋ + 1 (rounded up in ceil mode, less a last
    /// window that would start in the bottom padding).
    public let output: TensorShape

    /// PyTorch's pooling geometry on `input` (equal padding both sides); throws ``EngineError`` as PyTorch refuses.
    public init(input: TensorShape, kernel: Pair, stride: Pair?, padding: Pair, dilation: Pair, ceilMode: Bool, paddingMode: PaddingMode?) throws {
        let stride = stride ?? kernel
        try Self.validateWindow(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        try self.init(input: input, kernel: kernel, stride: stride, sides: Padding(padding), dilation: dilation, ceilMode: ceilMode,
                      paddingMode: paddingMode, reach: .pytorch)
    }

    /// Any padding on each side, checked against `paddingMode`'s limits for `reach` only (the window checks are the caller's).
    init(input: TensorShape, kernel: Pair, stride: Pair, sides: Padding, dilation: Pair, ceilMode: Bool, paddingMode: PaddingMode?,
         reach: PaddingReach) throws {
        if let paddingMode {
            try paddingMode.validate(sides, height: input.h, width: input.w, reach: reach)
        }
        let size = outputSize(input: Pair(h: input.h, w: input.w), kernel: kernel, stride: stride,
                              padding: sides, dilation: dilation, ceilMode: ceilMode)
        guard size.h >= 1, size.w >= 1 else {
            throw EngineError.shapeMismatch("output would be \(max(size.h, 0))×\(max(size.w, 0)): pooling kernel \(kernel) (dilation \(dilation)) does not fit the \(input.h)×\(input.w) input with padding \(sides)")
        }
        self.kernel = kernel
        self.stride = stride
        self.padding = Pair(h: sides.top, w: sides.left)
        self.paddingAfter = Pair(h: sides.bottom, w: sides.right)
        self.dilation = dilation
        self.height = input.h
        self.width = input.w
        self.output = TensorShape(n: input.n, c: input.c, h: size.h, w: size.w)
    }

    /// The input rows that output rows `rows` read (``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``);
    /// `mode` nil is PyTorch's −∞ (or zero) padding, which reads nothing.
    public func inputRows(for rows: Range<Int>, mode: PaddingMode?) -> Range<Int> {
        TensorEngine.inputRows(for: rows, kernel: kernel.h, stride: stride.h, dilation: dilation.h, padBefore: padding.h,
                               height: height, mode: mode)
    }

    /// The output rows a call computes (`rows`, or all when nil) after the size check of its result.
    func validateRows(_ rows: Range<Int>?) throws -> Range<Int> {
        let all = 0..<output.h
        let rows = rows ?? all
        precondition(rows.lowerBound >= 0 && rows.upperBound <= output.h, "output rows \(rows) outside \(all)")
        try TensorShape.validateCount(n: output.n, c: output.c, h: rows.count, w: output.w)
        return rows
    }

    /// The checks that need no input size: kernel, stride and dilation at least 1; padding not negative and
    /// at most half the kernel (pH ≤ ⌊kH/2⌋, pW ≤ ⌊kW/2⌋), PyTorch's rule.
    public static func validateWindow(kernel: Pair, stride: Pair, padding: Pair, dilation: Pair) throws {
        guard kernel.h >= 1, kernel.w >= 1 else { throw EngineError("pooling kernel must be at least 1×1, but it is \(kernel.h)×\(kernel.w)") }
        guard stride.h >= 1, stride.w >= 1 else { throw EngineError("stride must be at least 1, but it is \(stride)") }
        guard dilation.h >= 1, dilation.w >= 1 else { throw EngineError("dilation must be at least 1, but it is \(dilation)") }
        guard padding.h >= 0, padding.w >= 0 else { throw EngineError("padding must not be negative, but it is \(padding)") }
        guard padding.h <= kernel.h / 2, padding.w <= kernel.w / 2 else {
            throw EngineError("pooling padding must be at most half the kernel size, but the padding is \(padding) for kernel \(kernel)")
        }
    }
}
