/// One layer of a small network, as `torch.nn` builds it: what ``LayerTable`` needs to know for shapes and
/// parameter counts (no weights).
package enum LayerSpec: Hashable, Sendable {
    /// `nn.Conv2d(C_in, outChannels, kernel, stride, padding, dilation, groups, bias)`; `outChannels` nil keeps
    /// the input's channel count. C_in is the previous layer's output.
    case conv(outChannels: Int?, kernel: Pair, stride: Pair = Pair(1), padding: PaddingSpec = .explicit(Pair(0)),
              dilation: Pair = Pair(1), groups: Int = 1, bias: Bool = true)
    /// `nn.MaxPool2d(kernel, stride (nil: the kernel), padding, dilation, ceil_mode)`.
    case maxPool(kernel: Pair, stride: Pair? = nil, padding: Pair = Pair(0), dilation: Pair = Pair(1), ceilMode: Bool = false)
    /// `nn.AvgPool2d(kernel, stride (nil: the kernel), padding, ceil_mode)`.
    case avgPool(kernel: Pair, stride: Pair? = nil, padding: Pair = Pair(0), ceilMode: Bool = false)
}

/// What one layer does to the shape: torchinfo's summary row, with the output-size arithmetic written out.
package struct LayerRow: Hashable, Sendable {
    /// The layer as PyTorch prints the module, e.g. `Conv2d(1, 5, kernel_size=(5, 5), stride=(1, 1))`.
    package var name: String
    package var input: TensorShape
    /// (N, C, H, W) after the layer.
    package var output: TensorShape
    /// Learnable numbers: C_out · C_in/groups · kH · kW weights, plus C_out biases; 0 for pooling.
    package var parameters: Int
    /// ``outputSizeFormula(input:kernel:stride:padBefore:padAfter:dilation:ceilMode:)`` for H and for W.
    package var rowsFormula: String
    package var columnsFormula: String
    /// ``lessonFormula(input:kernel:stride:padBefore:padAfter:dilation:ceilMode:)`` for H and W (nil when dilated).
    package var rowsLesson: String?
    package var columnsLesson: String?
}

/// A network's shapes layer by layer (torchinfo's `summary` without running anything): each layer's output
/// shape, its formula with the numbers filled in, its parameter count, and the total. Every layer is checked
/// by the same geometry as the engine (``Conv2dGeometry``, ``Pool2dGeometry``), so a layer PyTorch refuses
/// throws the engine's ``EngineError``, prefixed with the layer's number; so does any tensor (input, weight,
/// output) above ``TensorShape/maxCount`` values, the engine's own limit.
package struct LayerTable: Hashable, Sendable {
    package let input: TensorShape
    package let rows: [LayerRow]

    package init(input: TensorShape, layers: [LayerSpec]) throws {
        try TensorShape.validateCount(n: input.n, c: input.c, h: input.h, w: input.w)
        self.input = input
        var shape = input
        var rows: [LayerRow] = []
        for (index, layer) in layers.enumerated() {
            do {
                let row = try Self.row(layer, input: shape)
                rows.append(row)
                shape = row.output
            } catch let error as EngineError {
                throw EngineError("layer \(index + 1): \(error.description)")
            }
        }
        self.rows = rows
    }

    /// The shape after the last layer (the input when there is none).
    package var output: TensorShape { rows.last?.output ?? input }
    /// The sum of every layer's parameters.
    package var totalParameters: Int { rows.map(\.parameters).reduce(0, +) }

    static func row(_ layer: LayerSpec, input: TensorShape) throws -> LayerRow {
        let output: TensorShape, parameters: Int, name: String
        let kernel: Pair, stride: Pair, padding: Padding, dilation: Pair, ceilMode: Bool
        switch layer {
        case let .conv(outChannels, k, s, p, d, groups, bias):
            let out = outChannels ?? input.c
            guard k.h >= 1, k.w >= 1 else { throw EngineError("kernel must be at least 1×1, but it is \(k.h)×\(k.w)") }
            guard out >= 1 else { throw EngineError("a convolution needs at least 1 output channel, not \(out)") }
            guard groups >= 1, input.c % groups == 0 else {
                throw EngineError("the input's \(input.c) channels are not divisible by groups \(groups)")
            }
            let weight = TensorShape(n: out, c: input.c / groups, h: k.h, w: k.w)
            try TensorShape.validateCount(n: weight.n, c: weight.c, h: weight.h, w: weight.w)
            let geometry = try Conv2dGeometry(input: input, weight: weight, biasCount: bias ? out : nil,
                                              parameters: Conv2dParameters(stride: s, padding: p, dilation: d, groups: groups))
            output = geometry.output
            (kernel, stride, padding, dilation, ceilMode) = (k, s, geometry.padding, d, false)
            let (w, overflow) = weight.count.addingReportingOverflow(bias ? out : 0)
            guard !overflow else { throw EngineError("the parameter count overflows") }
            parameters = w
            var text = "Conv2d(\(input.c), \(out), kernel_size=\(tuple(k)), stride=\(tuple(s))"
            switch p {
            case .explicit(let pair) where pair != Pair(0): text += ", padding=\(tuple(pair))"
            case .same: text += ", padding=same"
            case .valid: text += ", padding=valid"
            case .sides(let sides): text += ", padding=\(sides)"
            default: break
            }
            if d != Pair(1) { text += ", dilation=\(tuple(d))" }
            if groups != 1 { text += ", groups=\(groups)" }
            if !bias { text += ", bias=False" }
            name = text + ")"
        case let .maxPool(k, s, p, d, ceil):
            let geometry = try Pool2dGeometry(input: input, kernel: k, stride: s, padding: p, dilation: d, ceilMode: ceil, paddingMode: nil)
            output = geometry.output
            (kernel, stride, padding, dilation, ceilMode) = (k, geometry.stride, Padding(p), d, ceil)
            parameters = 0
            name = "MaxPool2d(kernel_size=\(scalar(k)), stride=\(scalar(geometry.stride)), padding=\(scalar(p)), dilation=\(scalar(d)), ceil_mode=\(ceil ? "True" : "False"))"
        case let .avgPool(k, s, p, ceil):
            let geometry = try Pool2dGeometry(input: input, kernel: k, stride: s, padding: p, dilation: Pair(1), ceilMode: ceil, paddingMode: nil)
            output = geometry.output
            (kernel, stride, padding, dilation, ceilMode) = (k, geometry.stride, Padding(p), Pair(1), ceil)
            parameters = 0
            name = "AvgPool2d(kernel_size=\(scalar(k)), stride=\(scalar(geometry.stride)), padding=\(scalar(p)))"
        }
        try TensorShape.validateCount(n: output.n, c: output.c, h: output.h, w: output.w)
        return LayerRow(
            name: name, input: input, output: output, parameters: parameters,
            rowsFormula: outputSizeFormula(input: input.h, kernel: kernel.h, stride: stride.h, padBefore: padding.top,
                                           padAfter: padding.bottom, dilation: dilation.h, ceilMode: ceilMode),
            columnsFormula: outputSizeFormula(input: input.w, kernel: kernel.w, stride: stride.w, padBefore: padding.left,
                                              padAfter: padding.right, dilation: dilation.w, ceilMode: ceilMode),
            rowsLesson: lessonFormula(input: input.h, kernel: kernel.h, stride: stride.h, padBefore: padding.top,
                                      padAfter: padding.bottom, dilation: dilation.h, ceilMode: ceilMode),
            columnsLesson: lessonFormula(input: input.w, kernel: kernel.w, stride: stride.w, padBefore: padding.left,
                                         padAfter: padding.right, dilation: dilation.w, ceilMode: ceilMode))
    }

    /// `(h, w)`, as PyTorch prints a convolution's pairs.
    private static func tuple(_ p: Pair) -> String { "(\(p.h), \(p.w))" }
    /// `n` when both are equal, else `(h, w)`, as PyTorch prints pooling sizes given as one number.
    private static func scalar(_ p: Pair) -> String { p.h == p.w ? "\(p.h)" : tuple(p) }
}
