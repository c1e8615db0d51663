import TensorEngine

/// A full `torch.nn.Conv2d`: a weight tensor (C_out, C_in/groups, kH, kW), optional bias, and PyTorch's
/// parameters, run by the engine as they are. Every channel is plain data (alpha is not special).
public struct DenseConvolutionFilter: ImageFilter {
    /// The weight, (C_out, C_in/groups, kH, kW), as `nn.Conv2d.weight`.
    public let weight: Tensor
    /// One bias per output channel (C_out values), or nil for none.
    public let bias: [Float]?
    /// Stride, padding, dilation, groups and padding mode, PyTorch's defaults and limits.
    public let parameters: Conv2dParameters
    /// Use groups = C_in whatever the input (a (C_out, 1, kH, kW) weight shared by any channel count).
    public let groupsEqualInputChannels: Bool

    /// The convolution as given; nothing is checked until it runs, when ``/TensorEngine/Conv2dGeometry/init(input:weight:biasCount:parameters:)``
    /// throws an ``/TensorEngine/EngineError`` for any configuration PyTorch refuses. Resampling an alpha plane throws
    /// ``/TensorEngine/EngineError/shapeMismatch(_:)``: run it with alpha dropped or every channel taken as data.
    public init(weight: Tensor, bias: [Float]?, parameters: Conv2dParameters, groupsEqualInputChannels: Bool = false) {
        self.weight = weight
        self.bias = bias
        self.parameters = parameters
        self.groupsEqualInputChannels = groupsEqualInputChannels
    }

    private func parameters(for input: TensorShape) -> Conv2dParameters {
        var p = parameters
        if groupsEqualInputChannels { p.groups = input.c }
        return p
    }

    public var summary: String {
        let w = weight.shape
        return "conv: weight (\(w.n), \(w.c), \(w.h), \(w.w)), stride \(parameters.stride), padding \(parameters.padding), dilation \(parameters.dilation), groups \(parameters.groups), \(parameters.paddingMode)"
    }

    public var defaultAlphaMode: AlphaMode { .keep }
    public var defaultValuePolicy: ValuePolicy? { nil }

    public func outputShape(for input: TensorShape) throws -> TensorShape {
        try Conv2dGeometry(input: input, weight: weight.shape, biasCount: bias?.count, parameters: parameters(for: input)).output
    }

    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        let p = parameters(for: input)
        let g = try Conv2dGeometry(input: input, weight: weight.shape, biasCount: bias?.count, parameters: p)
        return TensorEngine.inputRows(for: rows, kernel: g.kernel.h, stride: g.stride.h, dilation: g.dilation.h,
                                      padBefore: g.padding.top, height: input.h, mode: p.paddingMode)
    }

    public func apply(_ colour: RowWindow, rows: Range<Int>) throws -> Tensor {
        try conv2d(colour, weight: weight, bias: bias, parameters: parameters(for: colour.fullShape), rows: rows)
    }

    public func resample(_ alpha: RowWindow, rows: Range<Int>) throws -> Tensor {
        throw EngineError.shapeMismatch("a dense convolution treats every channel as data; it has no separate alpha plane")
    }
}
