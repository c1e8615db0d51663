import TensorEngine

/// Pooling as a filter step (for pipelines and batch runs): PyTorch's `MaxPool2d`, `AvgPool2d` or
/// their adaptive forms, on every channel. Alpha is pooled with the colour (premultiplied by default),
/// so the sizes always agree.
public struct PoolFilter: ImageFilter {
    /// `MaxPool2d`, `AvgPool2d`, `AdaptiveMaxPool2d` or `AdaptiveAvgPool2d` with their parameters.
    public enum Operation: Sendable, Hashable {
        case max(MaxPool2dParameters)
        case average(AvgPool2dParameters)
        case adaptiveMax(outputSize: Pair)
        case adaptiveAverage(outputSize: Pair)
    }

    /// Which pooling, with its parameters (checked against the image when the filter runs).
    public let operation: Operation

    /// A pooling step.
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
        switch operation {
        case .max(let p):
            return try Pool2dGeometry(input: input, kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      dilation: p.dilation, ceilMode: p.ceilMode, paddingMode: p.paddingMode).output
        case .average(let p):
            return try Pool2dGeometry(input: input, kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      dilation: Pair(1), ceilMode: p.ceilMode, paddingMode: p.paddingMode).output
        case .adaptiveMax(let size), .adaptiveAverage(let size):
            guard size.h >= 1, size.w >= 1 else { throw FilterError.invalidGeometry(reason: "adaptive pooling needs an output size of at least 1×1, not \(size.h)×\(size.w)") }
            guard input.h >= 1, input.w >= 1 else { throw FilterError.invalidGeometry(reason: "adaptive pooling needs a non-empty input, not \(input.h)×\(input.w)") }
            return TensorShape(n: input.n, c: input.c, h: size.h, w: size.w)
        }
    }

    /// The input rows output rows `rows` read: the window's rows through the padding rule (−∞ padding reads
    /// none), or the adaptive bins.
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        switch operation {
        case .max(let p):
            return try Pool2dGeometry(input: input, kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      dilation: p.dilation, ceilMode: p.ceilMode, paddingMode: p.paddingMode)
                .inputRows(for: rows, mode: p.paddingMode)
        case .average(let p):
            return try Pool2dGeometry(input: input, kernel: p.kernel, stride: p.stride, padding: p.padding,
                                      dilation: Pair(1), ceilMode: p.ceilMode, paddingMode: p.readingMode)
                .inputRows(for: rows, mode: p.readingMode)
        case .adaptiveMax(let size), .adaptiveAverage(let size):
            return adaptiveInputRows(for: rows, inputCount: input.h, outputCount: size.h)
        }
    }

    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor { try run(colour, rows: rows) }
    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor { try run(alpha, rows: rows) }

    /// Output rows `rows` of a max pooling (window or adaptive) with PyTorch's indices of every maximum
    /// (``/TensorEngine/MaxPoolResult/indices``, absolute within the input plane whatever rows `input` holds); nil for
    /// an average. All planes are data: the indices of `maxpool --indices`.
    public func maxima(_ input: RowWindow, rows: Range<Int>) throws -> MaxPoolResult? {
        switch operation {
        case .max(var p):
            p.returnIndices = true
            return try maxPool2d(input, parameters: p, rows: rows)
        case .adaptiveMax(let size):
            return try adaptiveMaxPool2d(input, outputSize: size, returnIndices: true, rows: rows)
        case .average, .adaptiveAverage:
            return nil
        }
    }

    private func run(_ input: RowWindow, rows: Range<Int>) throws -> Tensor {
        switch operation {
        case .max(let p): try maxPool2d(input, parameters: p, rows: rows).output
        case .average(let p): try avgPool2d(input, parameters: p, rows: rows)
        case .adaptiveMax(let size): try adaptiveMaxPool2d(input, outputSize: size, rows: rows).output
        case .adaptiveAverage(let size): try adaptiveAvgPool2d(input, outputSize: size, rows: rows)
        }
    }
}
