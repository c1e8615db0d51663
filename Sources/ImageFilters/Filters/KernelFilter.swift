import TensorEngine

/// A user's kernel, applied to every channel (depthwise), with the conveniences image tools offer:
///
///     k' = flip? rot180(k) : k;   k'' = normalize? k' / Σk' : k' / divisor;   out = k'' ⋆ x + bias + offset
///
/// `bias` is PyTorch's (added to every output), `offset` GIMP's (added after the division); both add.
/// Identity (`1×1` kernel 1) is this filter with ``KernelLibrary/identity``.
public struct KernelFilter: ImageFilter {
    package let convolution: KernelConvolution
    public let name: String
    public let alphaMode: AlphaMode
    public let valuePolicy: ValuePolicy?

    public init(kernel: Kernel, name: String = "conv", flip: Bool = false, normalize: Bool = false, divisor: Float = 1,
                bias: Float = 0, offset: Float = 0, geometry: FilterGeometry,
                alphaMode: AlphaMode = .keep, valuePolicy: ValuePolicy? = nil) throws {
        guard bias.isFinite else { throw FilterError.invalidParameter(name: "bias", reason: "must be a finite number, not \(bias)") }
        guard offset.isFinite else { throw FilterError.invalidParameter(name: "offset", reason: "must be a finite number, not \(offset)") }
        if normalize && divisor != 1 { throw FilterError.invalidGeometry(reason: "normalize and divisor both set the divisor; give only one") }
        var k = flip ? kernel.flipped : kernel
        k = normalize ? try k.normalized() : try k.divided(by: divisor)
        self.name = name
        self.alphaMode = alphaMode
        self.valuePolicy = valuePolicy
        convolution = KernelConvolution(kernel: k, geometry: geometry, bias: bias + offset)
    }

    public var summary: String {
        "\(name): \(convolution.kernel.rows)×\(convolution.kernel.columns) kernel (sum \(convolution.kernel.sum)), \(convolution.path.rawValue)"
    }

    public var defaultAlphaMode: AlphaMode { alphaMode }
    public var defaultValuePolicy: ValuePolicy? { valuePolicy }
    public func outputShape(for input: TensorShape) throws -> TensorShape { try convolution.outputShape(for: input) }
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> { try convolution.inputRows(for: rows, input: input) }
    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.apply(colour, rows: rows) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.resample(alpha, rows: rows) }
}
