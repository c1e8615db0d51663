import TensorEngine

/// Pooling as a filter step (for pipelines and batch runs): PyTorch's `MaxPool2d`, `AvgPool2d` or
/// their adaptive forms, on every channel. Alpha is pooled with the colour (premultiplied by default),
/// so the sizes always agree.
public struct PoolFilter: ImageFilter {
    public enum Operation: Sendable, Hashable {
        case max(MaxPool2dParameters)
        case average(AvgPool2dParameters)
        case adaptiveMax(outputSize: Pair)
        case adaptiveAverage(outputSize: Pair)
    }

    public let operation: Operation

    public init(_ operation: Operation) {
        self.operation = operation
    }

    public var summary: String {
        switch operation {
        case .max(let p): "maxpool: kernel \(p.kernel), stride \(p.stride ?? p.kernel), padding \(p.padding), dilation \(p.dilation)\(p.ceilMode ? ", ceil mode" : "")"
        case .average(let p): "avgpool: kernel \(p.kernel), stride \(p.stride ?? p.kernel), padding \(p.padding)\(p.ceilMode ? ", ceil mode" : "")"
        case .adaptiveMax(let size): "maxpool: adaptive to \(size.h)×\(size.w)"
        case .adaptiveAverage(let size): "avgpool: adaptive to \(size.h)×\(size.w)"
        }
    }

    public var defaultAlphaMode: AlphaMode { .filter }
    public var defaultValuePolicy: ValuePolicy? { nil }

    public func outputShape(for input: TensorShape) throws -> TensorShape {
        // Pooling one 1×1-channel plane of the input's size checks every parameter without touching pixels.
        let probe = Tensor(shape: TensorShape(n: 1, c: 1, h: input.h, w: input.w))
        let out = try run(probe)
        return TensorShape(n: input.n, c: input.c, h: out.h, w: out.w)
    }

    /// Window pooling without vertical padding, dilation or ceil mode, with windows at least as tall as
    /// their stride, maps rows j·s … j·s + kH − 1 to output row j (see ``RowReach``); adaptive pooling does not.
    public var rowReach: RowReach? {
        let kernel: Int, stride: Int
        switch operation {
        case .max(let p):
            guard p.padding.h == 0, p.dilation.h == 1, !p.ceilMode else { return nil }
            (kernel, stride) = (p.kernel.h, (p.stride ?? p.kernel).h)
        case .average(let p):
            guard p.padding.h == 0, !p.ceilMode else { return nil }
            (kernel, stride) = (p.kernel.h, (p.stride ?? p.kernel).h)
        case .adaptiveMax, .adaptiveAverage:
            return nil
        }
        guard stride >= 1, kernel >= stride else { return nil }
        return RowReach(above: 0, below: kernel - 1, stride: stride)
    }

    public func apply(_ colour: Tensor, notes: inout [String]) throws -> Tensor { try run(colour) }
    public func resample(_ alpha: Tensor) throws -> Tensor { try run(alpha) }

    private func run(_ input: Tensor) throws -> Tensor {
        switch operation {
        case .max(let p): try maxPool2d(input, parameters: p).output
        case .average(let p): try avgPool2d(input, parameters: p)
        case .adaptiveMax(let size): try adaptiveMaxPool2d(input, outputSize: size).output
        case .adaptiveAverage(let size): try adaptiveAvgPool2d(input, outputSize: size)
        }
    }
}
