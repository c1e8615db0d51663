import TensorEngine

/// The padded tensor itself (`F.pad`): every plane grows by `padding`, filled as `mode` says.
/// Shows what a convolution or pooling sees beyond the border.
public struct PadFilter: ImageFilter {
    /// Rows and columns added on each side; the output is (N, C, H + top + bottom, W + left + right).
    public let padding: Padding
    /// What the new samples read, within PyTorch's limits (``/TensorEngine/PaddingReach/pytorch``).
    public let mode: PaddingMode

    /// The filter; throws ``FilterError/invalidGeometry(reason:)`` for a negative side. Whether `mode` can pad
    /// an image that far is checked when the filter runs (``/TensorEngine/EngineError/invalidParameter(_:)``).
    public init(padding: Padding, mode: PaddingMode) throws {
        guard padding.top >= 0, padding.bottom >= 0, padding.left >= 0, padding.right >= 0 else {
            throw FilterError.invalidGeometry(reason: "padding must not be negative, but it is \(padding)")
        }
        self.padding = padding
        self.mode = mode
    }

    public var summary: String { "pad: \(padding), \(mode)" }
    public var defaultAlphaMode: AlphaMode { .filter }
    public var defaultValuePolicy: ValuePolicy? { nil }

    public func outputShape(for input: TensorShape) throws -> TensorShape {
        try mode.validate(padding, height: input.h, width: input.w)
        return TensorShape(n: input.n, c: input.c, h: input.h + padding.vertical, w: input.w + padding.horizontal)
    }

    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        padInputRows(for: rows, padding: padding, mode: mode, height: input.h)
    }
    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor { try pad(colour, padding: padding, mode: mode, rows: rows) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try pad(alpha, padding: padding, mode: mode, rows: rows) }
}
