import TensorEngine

/// One image operation with declared, already-validated parameters (libvips style): a blur, an edge
/// detector, a pooling… It sees only colour planes; ``FilterRunner`` handles alpha, gray conversion and
/// the output value policy around it, the same way for every filter.
public protocol ImageFilter: Sendable {
    /// A one-line description with the parameters filled in, e.g. `blur: Gaussian σ=2, 13×13`.
    var summary: String { get }
    /// How alpha is handled unless the user says otherwise.
    var defaultAlphaMode: AlphaMode { get }
    /// What happens to values outside [0, 1] unless the user says otherwise; nil leaves them as computed.
    var defaultValuePolicy: ValuePolicy? { get }
    /// The output shape for colour planes of `input`'s shape; throws when the parameters cannot apply.
    func outputShape(for input: TensorShape) throws -> TensorShape
    /// Filters the colour planes. `notes` collects what `--verbose` reports (the chosen path, …).
    func apply(_ colour: Tensor, notes: inout [String]) throws -> Tensor
    /// An alpha plane put through the same geometry without being filtered, so its size matches the output.
    func resample(_ alpha: Tensor) throws -> Tensor
    /// How far output rows reach into the input rows when the filter is row-local (see ``RowReach``);
    /// nil (the default) when it is not, and the filter then only runs on whole images.
    var rowReach: RowReach? { get }
    /// The same filter on a strip of a taller image whose `edges` are cuts: no padding rows there, so that
    /// the output holds only the rows whose reach the strip covers (a strip widened by the ``rowReach``
    /// margin gives exactly its own rows, with nothing computed twice). nil (the default) when the filter
    /// cannot; striped runs then filter the widened strip whole and crop.
    func onStrip(_ edges: StripEdges) -> (any ImageFilter)?
}
