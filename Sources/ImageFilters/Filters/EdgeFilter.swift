import Foundation
import TensorEngine

/// Edge detection with a derivative operator (``KernelLibrary/EdgeOperator``).
///
/// By default on the luminance (gray output): `magnitude` = √(gx² + gy²) for gradient operators and
/// |L ⋆ x| for Laplacians; `x` and `y` give the signed response (shown as |v| unless another value
/// policy is chosen). Responses are on the image's [0, 1] scale, unscaled: a Sobel edge of a quarter
/// step (0.25) already reaches 1, as an 8-bit `vips sobel` does; ``scale`` multiplies.
public struct EdgeFilter: ImageFilter {
    /// Which response: `x` the horizontal gradient gx (the operator's x kernel, positive where brightness grows to
    /// the right), `y` the vertical one gy (positive where it grows downwards), `magnitude` √(gx² + gy²). For a
    /// Laplacian all three are the one signed response L ⋆ x.
    public enum Direction: String, CaseIterable, Sendable { case x, y, magnitude }

    /// The derivative kernels: Sobel (default), Prewitt, Scharr, Laplacian (4-neighbour) or Laplacian-8.
    public let edgeOperator: KernelLibrary.EdgeOperator
    /// Which response is output; default `magnitude`.
    public let direction: Direction
    /// Filter each colour channel on its own (C output channels) instead of the luminance (1 channel); default false.
    public let perChannel: Bool
    /// A positive factor every response is multiplied by; default 1.
    public let scale: Float
    let xConvolution: KernelConvolution
    /// The x-gradient kernel with its geometry; the y kernel has the same size and geometry. For pictures of its
    /// window (the magnitude of two convolutions is not one weighted sum).
    package var convolution: KernelConvolution { xConvolution }
    let yConvolution: KernelConvolution

    /// The filter; throws ``FilterError/invalidParameter(name:reason:)`` unless `scale` is positive and finite.
    /// `geometry` is checked when the filter runs.
    public init(operator op: KernelLibrary.EdgeOperator = .sobel, direction: Direction = .magnitude,
                perChannel: Bool = false, scale: Float = 1, geometry: FilterGeometry = .init()) throws {
        guard scale.isFinite, scale > 0 else { throw FilterError.invalidParameter(name: "scale", reason: "must be a positive number, not \(scale)") }
        edgeOperator = op
        self.direction = direction
        self.perChannel = perChannel
        self.scale = scale
        xConvolution = KernelConvolution(kernel: op.xKernel, geometry: geometry)
        yConvolution = KernelConvolution(kernel: op.yKernel, geometry: geometry)
    }

    public var summary: String {
        "edge: \(edgeOperator.rawValue) \(direction.rawValue), \(perChannel ? "per channel" : "on luminance")\(scale == 1 ? "" : ", ×\(scale)")"
    }

    public var defaultAlphaMode: AlphaMode { .keep }
    public var defaultValuePolicy: ValuePolicy? { .abs }

    public func outputShape(for input: TensorShape) throws -> TensorShape {
        var out = try xConvolution.outputShape(for: input)
        if !perChannel { out.c = 1 }
        return out
    }

    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try xConvolution.resample(alpha, rows: rows) }

    /// Both directions' rows (the x and y kernels of an operator have the same size, but say so anyway).
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        let x = try xConvolution.inputRows(for: rows, input: input), y = try yConvolution.inputRows(for: rows, input: input)
        if x.isEmpty { return y }
        if y.isEmpty { return x }
        return min(x.lowerBound, y.lowerBound) ..< max(x.upperBound, y.upperBound)
    }

    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor {
        let source = perChannel ? colour : colour.replacing(Luminance.of(colour.tensor))
        if edgeOperator.isLaplacian || direction == .x {
            return scaled(try xConvolution.apply(source, rows: rows))
        }
        if direction == .y { return scaled(try yConvolution.apply(source, rows: rows)) }
        var gx = try xConvolution.apply(source, rows: rows)
        let gy = try yConvolution.apply(source, rows: rows)
        let s = scale
        gy.withUnsafeBufferPointer { y in
            gx.withUnsafeMutableBufferPointer { x in
                for i in x.indices { x[i] = (x[i] * x[i] + y[i] * y[i]).squareRoot() * s }
            }
        }
        return gx
    }

    private func scaled(_ t: Tensor) -> Tensor {
        guard scale != 1 else { return t }
        var t = t
        let s = scale
        t.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] *= s } }
        return t
    }
}
