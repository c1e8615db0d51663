import TensorEngine

/// A user's kernel, applied to every channel (depthwise), with the conveniences image tools offer:
///
///     k' = flip? rot180(k) : k;   k'' = normalize? k' / Σk' : k' / divisor;   out = k'' ⋆ x + bias + offset
///
/// `bias` is PyTorch's (added to every output), `offset` GIMP's (added after the division); both add.
/// Identity (`1×1` kernel 1) is this filter with ``KernelLibrary/identity``.
public struct KernelFilter: ImageFilter {
    package let convolution: KernelConvolution
    /// What ``summary`` calls the filter (default `conv`; a named kernel's name).
    public let name: String
    /// The filter's default ``AlphaMode`` (``AlphaMode/keep`` unless given).
    public let alphaMode: AlphaMode
    /// The filter's default value policy; nil (the default): values are written as they come.
    public let valuePolicy: ValuePolicy?

    /// The filter of the formula above; `divisor` defaults to 1, `bias` and `offset` to 0. Throws
    /// ``FilterError/invalidParameter(name:reason:)`` for a `bias` or `offset` that is not finite,
    /// ``FilterError/invalidGeometry(reason:)`` for `normalize` with a `divisor` other than 1, and
    /// ``FilterError/invalidKernel(reason:)`` for normalising a kernel that sums to 0 or dividing by 0.
    /// `geometry` is checked when the filter runs.
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
