import TensorEngine

/// Emboss: ``KernelLibrary/emboss(angle:)`` (relief lit from `angle` degrees; weights sum to 1, so flat
/// areas keep their value), clamped to [0, 1].
public struct EmbossFilter: ImageFilter {
    /// The light's direction in degrees, counter-clockwise from the x axis (135, the default, is the top left).
    public let angle: Float
    package let convolution: KernelConvolution

    /// The filter; throws ``FilterError/invalidParameter(name:reason:)`` unless `angle` is finite. `geometry` is
    /// checked when the filter runs.
    public init(angle: Float = 135, geometry: FilterGeometry = .init()) throws {
        self.angle = angle
        convolution = KernelConvolution(kernel: try KernelLibrary.emboss(angle: angle), geometry: geometry)
    }

    public var summary: String { "emboss: lit from \(angle)°" }
    public var defaultAlphaMode: AlphaMode { .keep }
    public var defaultValuePolicy: ValuePolicy? { .clamp }
    public func outputShape(for input: TensorShape) throws -> TensorShape { try convolution.outputShape(for: input) }
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> { try convolution.inputRows(for: rows, input: input) }
    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.apply(colour, rows: rows) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.resample(alpha, rows: rows) }
}
