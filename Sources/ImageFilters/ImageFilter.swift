import TensorEngine

/// One image operation with declared, already-validated parameters (libvips style): a blur, an edge
/// detector, a pooling… It sees only colour planes; ``FilterRunner`` handles alpha, gray conversion and
/// the output value policy around it, the same way for every filter.
///
/// Its geometry is declared once: the output shape, and which input rows a range of output rows reads
/// (``inputRows(for:input:)``). With those, the same filter runs on a whole image or on the rows of a
/// ``/TensorEngine/RowWindow``, a few at a time, with the same result for every row.
public protocol ImageFilter: Sendable {
    /// A one-line description with the parameters filled in, e.g. `blur: Gaussian σ=2, 13×13`.
    var summary: String { get }
    /// How alpha is handled unless the user says otherwise.
    var defaultAlphaMode: AlphaMode { get }
    /// What happens to values outside [0, 1] unless the user says otherwise; nil leaves them as computed.
    var defaultValuePolicy: ValuePolicy? { get }
    /// The output shape for colour planes of `input`'s shape; throws when the parameters cannot apply.
    func outputShape(for input: TensorShape) throws -> TensorShape
    /// The input rows (a range of rows of `input`, the full colour planes' shape) that output rows `rows` read,
    /// padding rows included through the padding rule (``/TensorEngine/inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``).
    /// All of them for an operation that needs the whole input (vertical circular padding).
    func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int>
    /// Output rows `rows` of the colour planes; `colour` holds at least the rows ``inputRows(for:input:)`` names.
    func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor
    /// Output rows `rows` of an alpha plane put through the same geometry without being filtered, so its size
    /// matches the output.
    func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor
}

extension ImageFilter {
    /// The filter on whole colour planes.
    public func apply(_ colour: Tensor) throws -> Tensor {
        try apply(RowWindow(whole: colour), rows: 0 ..< outputShape(for: colour.shape).h)
    }

    /// A whole alpha plane resampled.
    public func resample(_ alpha: Tensor) throws -> Tensor {
        try resample(RowWindow(whole: alpha), rows: 0 ..< outputShape(for: alpha.shape).h)
    }
}
