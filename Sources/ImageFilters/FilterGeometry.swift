import TensorEngine

/// Where a filter's kernel visits the image: stride, padding, padding mode and dilation.
///
/// Named filters default to image conventions: ``/TensorEngine/PaddingSpec/centred`` padding with a `reflect` border, so the
/// output keeps the input's size and borders are neither dark nor smeared. With a stride other than 1 the kernel
/// stays centred on each sampled pixel (⌊d·(k − 1)/2⌋ before, the rest after) and the output is
/// ⌈H/s⌉ = ⌊(H − 1)/s⌋ + 1 rows. ``/TensorEngine/PaddingSpec/same`` means PyTorch's `same` here as everywhere: stride 1 only.
public struct FilterGeometry: Hashable, Sendable {
    /// (sH, sW), each at least 1: the kernel visits every sH-th row and sW-th column. Default 1.
    public var stride: Pair
    /// How the image is padded before the kernel slides (PyTorch's `padding=`); default ``/TensorEngine/PaddingSpec/centred``.
    public var padding: PaddingSpec
    /// What the kernel reads beyond the image's edges; default ``/TensorEngine/PaddingMode/reflect``.
    public var paddingMode: PaddingMode
    /// (dH, dW), each at least 1: the gap between kernel taps, a k-tap axis spanning d·(k − 1) + 1 pixels. Default 1.
    public var dilation: Pair
    /// How far the border may reach past the image. ``/TensorEngine/PaddingReach/unlimited`` (the default, image conventions):
    /// a border longer than the image keeps reflecting (scipy.ndimage `mirror`, OpenCV `BORDER_REFLECT_101`;
    /// on a one-pixel axis it repeats that pixel), so named filters work on every image of at least 1×1 with
    /// every kernel. ``/TensorEngine/PaddingReach/pytorch`` for `conv`, which keeps PyTorch's refusals.
    public var paddingReach: PaddingReach

    /// The geometry, with image conventions by default (stride 1, centred padding, a `reflect` border of any
    /// reach, dilation 1). Nothing is checked here: ``validate()`` and the filters' initialisers check it.
    public init(stride: Pair = Pair(1), padding: PaddingSpec = .centred, paddingMode: PaddingMode = .reflect, dilation: Pair = Pair(1),
                paddingReach: PaddingReach = .unlimited) {
        self.stride = stride
        self.padding = padding
        self.paddingMode = paddingMode
        self.dilation = dilation
        self.paddingReach = paddingReach
    }

    /// The checks that need no image: stride and dilation at least 1, no negative padding, `same` only at stride 1.
    /// A value that fails them is wrong for every input (the CLI reports it as a usage error). Throws
    /// ``FilterError/invalidGeometry(reason:)`` for stride or dilation, ``/TensorEngine/EngineError/invalidParameter(_:)`` for the padding.
    public func validate() throws {
        guard stride.h >= 1, stride.w >= 1 else { throw FilterError.invalidGeometry(reason: "stride must be at least 1, but it is \(stride)") }
        guard dilation.h >= 1, dilation.w >= 1 else { throw FilterError.invalidGeometry(reason: "dilation must be at least 1, but it is \(dilation)") }
        _ = try resolvedPadding(kernelSize: Pair(1))
    }

    /// The padding for a kernel of `kernelSize` (``/TensorEngine/PaddingSpec/resolved(kernel:dilation:stride:)``, the one rule);
    /// throws its ``/TensorEngine/EngineError/invalidParameter(_:)`` for negative padding or `same` at a stride other than 1.
    public func resolvedPadding(kernelSize: Pair) throws -> Padding {
        try padding.resolved(kernel: kernelSize, dilation: dilation, stride: stride)
    }

    /// The output plane size for a kernel of `kernelSize` on an input plane of `input`, per axis
    /// ⌊(H + pBefore + pAfter − d·(k − 1) − 1)/s⌋ + 1 (with ``/TensorEngine/PaddingSpec/centred``, ⌈H/s⌉).
    /// Throws ``FilterError/invalidGeometry(reason:)`` for a stride or dilation below 1 or an output smaller than
    /// 1×1, and ``/TensorEngine/EngineError/invalidParameter(_:)`` for padding that cannot be resolved or that the mode cannot
    /// read under ``paddingReach``.
    public func outputSize(input: Pair, kernelSize: Pair) throws -> Pair {
        guard stride.h >= 1, stride.w >= 1 else { throw FilterError.invalidGeometry(reason: "stride must be at least 1, but it is \(stride)") }
        guard dilation.h >= 1, dilation.w >= 1 else { throw FilterError.invalidGeometry(reason: "dilation must be at least 1, but it is \(dilation)") }
        let padding = try resolvedPadding(kernelSize: kernelSize)
        try paddingMode.validate(padding, height: input.h, width: input.w, reach: paddingReach)
        let out = TensorEngine.outputSize(input: input, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation)
        guard out.h >= 1, out.w >= 1 else {
            throw FilterError.invalidGeometry(reason: "a \(kernelSize.h)×\(kernelSize.w) kernel with dilation \(dilation) does not fit in a \(input.h)×\(input.w) image padded by \(padding)")
        }
        return out
    }
}
