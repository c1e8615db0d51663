import Foundation
import TensorEngine

/// Edge detection with a derivative operator (``KernelLibrary/EdgeOperator``).
///
/// By default on the luminance (gray output): `magnitude` = √(gx² + gy²) for gradient operators and
/// |L ⋆ x| for Laplacians; `x` and `y` give the signed response (shown as |v| unless another value
/// policy is chosen). Responses are on the image's [0, 1] scale, unscaled: a Sobel edge of a quarter
/// step (0.25) already reaches 1, as an 8-bit `vips sobel` does; `--scale` multiplies.
public struct EdgeFilter: ImageFilter {
    public enum Direction: String, CaseIterable, Sendable { case x, y, magnitude }

    public let edgeOperator: KernelLibrary.EdgeOperator
    public let direction: Direction
    public let perChannel: Bool
    public let scale: Float
    private(set) var xConvolution: KernelConvolution
    private(set) var yConvolution: KernelConvolution

    public init(operator op: KernelLibrary.EdgeOperator = .sobel, direction: Direction = .magnitude,
                perChannel: Bool = false, scale: Float = 1, geometry: FilterGeometry = .init()) throws {
        guard scale.isFinite, scale > 0 else { throw FilterError("--scale must be a positive number, not \(scale)") }
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

    public func resample(_ alpha: Tensor) throws -> Tensor { try xConvolution.resample(alpha) }

    /// Both directions' reach (the x and y kernels of an operator have the same size, but say so anyway).
    public var rowReach: RowReach? {
        guard let x = xConvolution.rowReach, let y = yConvolution.rowReach else { return nil }
        return RowReach(above: max(x.above, y.above), below: max(x.below, y.below))
    }

    public func onStrip(_ edges: StripEdges) -> (any ImageFilter)? {
        var strip = self
        strip.xConvolution = xConvolution.onStrip(edges)
        strip.yConvolution = yConvolution.onStrip(edges)
        return strip
    }

    public func apply(_ colour: Tensor, notes: inout [String]) throws -> Tensor {
        let source = perChannel ? colour : Luminance.of(colour)
        if edgeOperator.isLaplacian || direction == .x {
            return scaled(try xConvolution.apply(source))
        }
        if direction == .y { return scaled(try yConvolution.apply(source)) }
        var gx = try xConvolution.apply(source)
        let gy = try yConvolution.apply(source)
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
