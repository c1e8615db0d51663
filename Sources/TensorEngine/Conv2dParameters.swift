/// The options of `torch.nn.Conv2d` / `F.conv2d`, plus `flip` for a true (mathematical) convolution.
///
/// With input x of shape (N, C_in, H, W), weight w of shape (C_out, C_in/g, kH, kW) and groups g,
/// output channel o reads the C_in/g input channels of its group G(o) = ⌊o / (C_out/g)⌋:
///
///     y[n, o, i, j] = b[o] + Σ_c Σ_ky Σ_kx  w[o, c, ky, kx] · x̃[n, G(o)·C_in/g + c, i·sH + ky·dH − pTop, j·sW + kx·dW − pLeft]
///
/// where x̃ is the input padded by `padding` (resolved to ``Padding``) and read outside the plane as `paddingMode`
/// says (``PaddingMode`` gives each mode's index formula).
/// This is cross-correlation, as PyTorch computes it; with `flip` the kernel is rotated 180°
/// (w[o, c, kH − 1 − ky, kW − 1 − kx]), which is convolution as textbooks and `scipy.signal.convolve2d` define it.
public struct Conv2dParameters: Hashable, Sendable {
    /// (sH, sW): the window moves sH rows and sW columns between outputs; each at least 1 (PyTorch's `stride`).
    public var stride: Pair
    /// PyTorch's `padding=`: `valid` (none), `same` (stride 1 only), explicit `(pH, pW)`, or each side (``PaddingSpec``).
    public var padding: PaddingSpec
    /// (dH, dW): the gap between kernel taps, so a k-tap axis spans d·(k − 1) + 1 samples; each at least 1.
    public var dilation: Pair
    /// g ≥ 1: the input and output channels are split into g groups, output group i reading only input group i;
    /// C_in and C_out must both be divisible by g (g = C_in is a depthwise convolution).
    public var groups: Int
    /// What x̃ reads outside the plane: PyTorch's `padding_mode` (`zeros`, `reflect`, `replicate`, `circular`) or
    /// `symmetric` / `constant(v)`.
    public var paddingMode: PaddingMode
    /// True convolution: use the kernel rotated by 180°.
    public var flip: Bool
    /// How far the padding may reach past the input: PyTorch's limits (the default) or, for the named image
    /// filters, any distance (``PaddingReach``).
    public var paddingReach: PaddingReach

    /// The options; every default is `nn.Conv2d`'s (stride 1, no padding, dilation 1, one group, `zeros`), with no
    /// flip and PyTorch's padding limits. Nothing is checked here: ``Conv2dGeometry/init(input:weight:biasCount:parameters:)``
    /// checks the options against the tensors.
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
    /// The input's shape, (N, C_in, H, W).
    public let input: TensorShape
    /// (kH, kW), the weight's last two dimensions.
    public let kernel: Pair
    /// (sH, sW), as given in ``Conv2dParameters/stride``.
    public let stride: Pair
    /// (dH, dW), as given in ``Conv2dParameters/dilation``.
    public let dilation: Pair
    /// The padding of each side, ``Conv2dParameters/padding`` resolved by ``PaddingSpec/resolved(kernel:dilation:stride:)``.
    public let padding: Padding
    /// g, as given in ``Conv2dParameters/groups``.
    public let groups: Int
    /// C_in/g: the input channels each output channel reads (the weight's second dimension).
    public let inputChannelsPerGroup: Int
    /// C_out/g: the output channels of each group.
    public let outputChannelsPerGroup: Int
    /// (N, C_out, H_out, W_out), with
    ///
    ///     H_out = ⌊(H + pTop + pBottom − dH·(kH − 1) − 1)/sH⌋ + 1,   W_out likewise with pLeft, pRight, dW, kW, sW
    ///
    /// as `nn.Conv2d` computes it; both are at least 1.
    public let output: TensorShape

    /// Validates a convolution of `input` with a weight of shape `weight` = (C_out, C_in/groups, kH, kW)
    /// and `biasCount` biases (nil: no bias).
    ///
    /// Throws ``EngineError/invalidParameter(_:)`` for groups, stride or dilation below 1, a kernel smaller than
    /// 1×1, negative padding, `same` padding at a stride other than 1, or padding the mode cannot read under
    /// ``Conv2dParameters/paddingReach``; ``EngineError/shapeMismatch(_:)`` for a weight with no input or output
    /// channels, C_out or C_in not divisible by groups, C_in ≠ groups · C_in/g of the weight, a bias count other
    /// than C_out, or an output smaller than 1×1 (the dilated kernel larger than the padded input). Sizes are not
    /// checked against ``TensorShape/maxCount`` here: the geometry is plain arithmetic; each operation checks
    /// before it allocates.
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
