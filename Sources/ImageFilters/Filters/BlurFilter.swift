import TensorEngine

/// Smoothing: Gaussian (default), box (mean) or motion blur. Kernels sum to 1, so flat areas keep
/// their value; colour is premultiplied by alpha, so cut-outs get no dark fringe.
public struct BlurFilter: ImageFilter {
    /// Which blur, and its size.
    public enum Shape: Sendable, Hashable {
        /// σ in pixels; radius nil = ⌈3σ⌉. Kernel (2·radius + 1)², see ``KernelLibrary/gaussian(sigma:radius:)``.
        case gaussian(sigma: Float, radius: Int?)
        /// An n × n mean, weights 1/n², n in 1...2001; see ``KernelLibrary/box(size:)``.
        case box(size: Int)
        /// A line `length` pixels long (1...1001) at `angle` degrees counter-clockwise from the x axis,
        /// anti-aliased, sum 1; see ``KernelLibrary/motion(length:angle:)``.
        case motion(length: Float, angle: Float)
    }

    /// The blur, as given.
    public let shape: Shape
    package let convolution: KernelConvolution

    /// Builds the kernel of `shape`; throws ``FilterError/invalidParameter(name:reason:)`` for σ not positive and
    /// finite, a radius negative or above ``KernelLibrary/maxRadius`` (or ⌈3σ⌉ above it), a box size outside
    /// 1...2001, a motion length outside 1...1001 or an angle that is not finite. `geometry` is checked when the
    /// filter runs.
    public init(_ shape: Shape, geometry: FilterGeometry = .init()) throws {
        self.shape = shape
        let kernel: Kernel = switch shape {
        case .gaussian(let sigma, let radius): try KernelLibrary.gaussian(sigma: sigma, radius: radius)
        case .box(let size): try KernelLibrary.box(size: size)
        case .motion(let length, let angle): try KernelLibrary.motion(length: length, angle: angle)
        }
        self.convolution = KernelConvolution(kernel: kernel, geometry: geometry)
    }

    public var summary: String {
        let k = "\(convolution.kernel.rows)×\(convolution.kernel.columns)"
        return switch shape {
        case .gaussian(let sigma, _): "blur: Gaussian σ=\(sigma), \(k) kernel, \(convolution.path.rawValue)"
        case .box(let size): "blur: box \(size)×\(size), \(convolution.path.rawValue)"
        case .motion(let length, let angle): "blur: motion length \(length) at \(angle)°, \(k) kernel"
        }
    }

    public var defaultAlphaMode: AlphaMode { .filter }
    public var defaultValuePolicy: ValuePolicy? { .clamp }
    public func outputShape(for input: TensorShape) throws -> TensorShape { try convolution.outputShape(for: input) }
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> { try convolution.inputRows(for: rows, input: input) }
    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.apply(colour, rows: rows) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try convolution.resample(alpha, rows: rows) }
}
