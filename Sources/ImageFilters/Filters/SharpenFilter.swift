import TensorEngine

/// Sharpening. The unsharp mask (default) adds back what a Gaussian blur removes:
///
///     d = x − G_σ ⋆ x;   out = x + amount · d   where |d| ≥ threshold, else x
///
/// With threshold 0 this is the single kernel (1 + amount)·δ − amount·G_σ. The classic kernel is
/// `0 −1 0; −1 5 −1; 0 −1 0`.
public struct SharpenFilter: ImageFilter {
    /// Which sharpening.
    public enum Method: Sendable, Hashable {
        /// The unsharp mask above: σ of the Gaussian in pixels (radius ⌈3σ⌉), `amount` ≥ 0, `threshold` ≥ 0 on
        /// the [0, 1] scale.
        case unsharpMask(sigma: Float, amount: Float, threshold: Float)
        /// The 3 × 3 kernel ``KernelLibrary/sharpenClassic``.
        case classic
    }

    /// The method, as given.
    public let method: Method
    let blur: KernelConvolution
    /// The one kernel it slides, with its geometry: the classic 3×3 sharpen kernel, or the unsharp mask's Gaussian
    /// (whose output it subtracts; the result is then not that convolution). For pictures of its window.
    package var convolution: KernelConvolution { blur }

    /// The filter; throws ``FilterError/invalidParameter(name:reason:)`` for an `amount` or `threshold` that is
    /// negative or not finite, or a σ the Gaussian refuses (not positive and finite, ⌈3σ⌉ above
    /// ``KernelLibrary/maxRadius``). `geometry` is checked when the filter runs.
    public init(_ method: Method, geometry: FilterGeometry = .init()) throws {
        self.method = method
        switch method {
        case .unsharpMask(let sigma, let amount, let threshold):
            guard amount.isFinite, amount >= 0 else { throw FilterError.invalidParameter(name: "amount", reason: "must be a number ≥ 0, not \(amount)") }
            guard threshold.isFinite, threshold >= 0 else { throw FilterError.invalidParameter(name: "threshold", reason: "must be a number ≥ 0, not \(threshold)") }
            blur = KernelConvolution(kernel: try KernelLibrary.gaussian(sigma: sigma), geometry: geometry)
        case .classic:
            blur = KernelConvolution(kernel: KernelLibrary.sharpenClassic, geometry: geometry)
        }
    }

    public var summary: String {
        switch method {
        case .unsharpMask(let sigma, let amount, let threshold):
            "sharpen: unsharp mask σ=\(sigma), amount \(amount), threshold \(threshold); blur \(blur.kernel.rows)×\(blur.kernel.columns), \(blur.path.rawValue)"
        case .classic: "sharpen: classic 3×3 kernel 0 −1 0; −1 5 −1; 0 −1 0"
        }
    }

    public var defaultAlphaMode: AlphaMode { .filter }
    public var defaultValuePolicy: ValuePolicy? { .clamp }
    public func outputShape(for input: TensorShape) throws -> TensorShape { try blur.outputShape(for: input) }
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> { try blur.inputRows(for: rows, input: input) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try blur.resample(alpha, rows: rows) }

    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor {
        guard case .unsharpMask(_, let amount, let threshold) = method else { return try blur.apply(colour, rows: rows) }
        var sharpened = try blur.resample(colour, rows: rows)
        let blurred = try blur.apply(colour, rows: rows)
        blurred.withUnsafeBufferPointer { g in
            sharpened.withUnsafeMutableBufferPointer { x in
                for i in x.indices {
                    let d = x[i] - g[i]
                    if abs(d) >= threshold { x[i] += amount * d }
                }
            }
        }
        return sharpened
    }
}
