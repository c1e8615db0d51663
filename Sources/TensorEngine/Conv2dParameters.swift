/// The options of `torch.nn.Conv2d` / `F.conv2d`, plus `flip` for a true (mathematical) convolution.
///
/// With input x of shape (N, C_in, H, W), weight w of shape (C_out, C_in/g, kH, kW) and groups g,
/// output channel o reads the C_in/g input channels of its group G(o) = ⌊o / (C_out/g)⌋:
///
///     y[n, o, i, j] = b[o] + Σ_c Σ_ky Σ_kx  w[o, c, ky, kx] · x̃[n, G(o)·C_in/g + c, i·sH + ky·dH − pTop, j·sW + kx·dW − pLeft]
///
/// where x̃ reads outside the plane through ``sourceIndex(_:size:mode:)`` with `paddingMode`.
/// This is cross-correlation, as PyTorch computes it; with `flip` the kernel is rotated 180°
/// (w[o, c, kH − 1 − ky, kW − 1 − kx]), which is convolution as textbooks and `scipy.signal.convolve2d` define it.
public struct Conv2dParameters: Hashable, Sendable {
    public var stride: Pair
    public var padding: PaddingSpec
    public var dilation: Pair
    public var groups: Int
    public var paddingMode: PaddingMode
    /// True convolution: use the kernel rotated by 180°.
    public var flip: Bool
    /// How far the padding may reach past the input: PyTorch's limits (the default) or, for the named image
    /// filters, any distance (``PaddingReach``).
    public var paddingReach: PaddingReach

    public init(
        stride: Pair = Pair(1), padding: PaddingSpec = .valid, dilation: Pair = Pair(1),
        groups: Int = 1, paddingMode: PaddingMode = .zeros, flip: Bool = false, paddingReach: PaddingReach = .pytorch
    ) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.paddingMode = paddingMode
        self.flip = flip
        self.paddingReach = paddingReach
    }
}

/// Every size of one convolution, checked the way PyTorch checks them. Built by ``init(input:weight:biasCount:parameters:)``,
/// which throws an ``EngineError`` for any configuration PyTorch refuses.
public struct Conv2dGeometry: Hashable, Sendable {
    public let input: TensorShape
    public let kernel: Pair
    public let stride: Pair
    public let dilation: Pair
    public let padding: Padding
    public let groups: Int
    public let inputChannelsPerGroup: Int
    public let outputChannelsPerGroup: Int
    /// (N, C_out, H_out, W_out).
    public let output: TensorShape

    /// Validates a convolution of `input` with a weight of shape `weight` = (C_out, C_in/groups, kH, kW)
    /// and `biasCount` biases (nil: no bias).
    public init(input: TensorShape, weight: TensorShape, biasCount: Int?, parameters p: Conv2dParameters) throws {
        guard p.groups >= 1 else { throw EngineError("groups must be at least 1, but it is \(p.groups)") }
        guard p.stride.h >= 1, p.stride.w >= 1 else { throw EngineError("stride must be at least 1, but it is \(p.stride)") }
        guard p.dilation.h >= 1, p.dilation.w >= 1 else { throw EngineError("dilation must be at least 1, but it is \(p.dilation)") }
        let kernel = Pair(h: weight.h, w: weight.w)
        guard kernel.h >= 1, kernel.w >= 1 else { throw EngineError("the kernel must be at least 1×1, but it is \(kernel.h)×\(kernel.w)") }
        guard weight.c >= 1 else { throw EngineError.shapeMismatch("the weight must have at least 1 input channel per group, but has 0") }
        let outChannels = weight.n
        guard outChannels >= 1 else { throw EngineError.shapeMismatch("the weight must have at least 1 output channel, but has 0") }
        guard outChannels % p.groups == 0 else {
            throw EngineError.shapeMismatch("the weight's \(outChannels) output channels are not divisible by groups \(p.groups)")
        }
        guard input.c % p.groups == 0 else {
            throw EngineError.shapeMismatch("the input's \(input.c) channels are not divisible by groups \(p.groups)")
        }
        guard input.c == weight.c * p.groups else {
            throw EngineError.shapeMismatch("a weight of shape \(weight) with groups \(p.groups) expects \(weight.c * p.groups) input channels (\(weight.c) per group), but the input \(input) has \(input.c)")
        }
        if let biasCount, biasCount != outChannels {
            throw EngineError.shapeMismatch("expected \(outChannels) biases, one per output channel, but got \(biasCount)")
        }
        let padding = try p.padding.resolved(kernel: kernel, dilation: p.dilation, stride: p.stride)
        try p.paddingMode.validate(padding, height: input.h, width: input.w, reach: p.paddingReach)
        let out = outputSize(input: Pair(h: input.h, w: input.w), kernel: kernel, stride: p.stride,
                             padding: padding, dilation: p.dilation)
        if out.h < 1 || out.w < 1 {
            let (k, d, padded) = out.h < 1
                ? (kernel.h, p.dilation.h, input.h + padding.vertical)
                : (kernel.w, p.dilation.w, input.w + padding.horizontal)
            throw EngineError.shapeMismatch("output would be \(max(out.h, 0))×\(max(out.w, 0)): kernel \(k) (dilated \(d * (k - 1) + 1)) larger than padded input \(padded)")
        }
        self.input = input
        self.kernel = kernel
        self.stride = p.stride
        self.dilation = p.dilation
        self.padding = padding
        self.groups = p.groups
        self.inputChannelsPerGroup = weight.c
        self.outputChannelsPerGroup = outChannels / p.groups
        self.output = TensorShape(n: input.n, c: outChannels, h: out.h, w: out.w)
    }

    /// Throws unless the padded input and the output each fit one tensor (``TensorShape/validateCount(n:c:h:w:)``).
    /// The engine reads padded row bands (``ConvolutionBands``), never a padded copy, but its scratch rows are
    /// padded rows: every path (direct, separable, box) checks this before allocating, so memory cannot follow
    /// a huge padding or dilation. The geometry itself stays plain arithmetic (the `shape` command).
    package func validateSizes() throws {
        try TensorShape.validateCount(n: input.n, c: input.c, h: input.h + padding.vertical, w: input.w + padding.horizontal)
        try output.validateCount()
    }

    /// The output rows a call computes (`rows`, or all when nil), after the size checks: ``validateSizes()``
    /// for a whole input, else the result's own size (a window's output is a strip of the full one).
    func validateRows(_ rows: Range<Int>?, window: RowWindow) throws -> Range<Int> {
        let all = 0..<output.h
        guard let rows, !(window.isWhole && rows == all) else {
            try validateSizes()
            return all
        }
        precondition(rows.lowerBound >= 0 && rows.upperBound <= output.h, "output rows \(rows) outside \(all)")
        try TensorShape.validateCount(n: output.n, c: output.c, h: rows.count, w: output.w)
        return rows
    }

    /// Multiply-adds per output element: C_in/g · kH · kW.
    package var tapsPerOutput: Int { inputChannelsPerGroup * kernel.h * kernel.w }
}
