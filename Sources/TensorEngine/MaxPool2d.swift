/// The options of `torch.nn.MaxPool2d`.
public struct MaxPool2dParameters: Hashable, Sendable {
    /// The window (kH, kW), at least 1×1.
    public var kernel: Pair
    /// nil: equal to `kernel`, as PyTorch's default.
    public var stride: Pair?
    /// Symmetric padding; each side at most half the kernel.
    public var padding: Pair
    /// Spacing between window taps (1: adjacent); the window spans d·(k − 1) + 1 samples.
    public var dilation: Pair
    /// Round the output size up (PyTorch's `ceil_mode`), dropping a last window that would start in the padding.
    public var ceilMode: Bool
    /// Also return the argmax of every window.
    public var returnIndices: Bool
    /// nil (PyTorch): padding is −∞ and never wins. Otherwise (beyond PyTorch, for images) padded
    /// positions take part with the input values the mode reads (``PaddingMode``).
    public var paddingMode: PaddingMode?

    /// PyTorch's defaults: stride = kernel, no padding, dilation 1, floor mode, no indices, −∞ padding.
    public init(kernel: Pair, stride: Pair? = nil, padding: Pair = Pair(0), dilation: Pair = Pair(1),
                ceilMode: Bool = false, returnIndices: Bool = false, paddingMode: PaddingMode? = nil) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        self.returnIndices = returnIndices
        self.paddingMode = paddingMode
    }
}

/// `F.max_pool2d`: the largest sample of every (dilated) window,
///
///     y[n, c, i, j] = max over ky < kH, kx < kW of x̃[n, c, i·sH + ky·dH − pH, j·sW + kx·dW − pW]
///
/// with PyTorch's scan rule: the running maximum starts at −∞, and a sample replaces it when `value > max` or
/// `value` is NaN. So ties keep the first maximum in row-major order, and a NaN propagates.
///
/// Indices (when `returnIndices`) are PyTorch's: `y·W + x` within the input plane, one per output element in NCHW
/// order, the first maximum's (the last NaN's); a window whose samples are all −∞ reports its first in-bounds row and
/// column. With a `paddingMode`, a padded sample's index is that of the input sample it copies, or −1 for a constant.
///
/// It runs on the sliding-window core of the morphology filters (``maskedPool2d(_:parameters:)``): the window is a
/// structuring element with taps every d samples, so without indices a rectangle (dilation 1) is two separable passes.
public func maxPool2d(_ input: Tensor, parameters p: MaxPool2dParameters) throws -> MaxPoolResult {
    try maxPool2d(RowWindow(whole: input), parameters: p, rows: nil)
}

/// Output rows `rows` (nil: all) of ``maxPool2d(_:parameters:)`` on the full input `window` is part of; the window
/// must hold the input rows they read (``Pool2dGeometry/inputRows(for:mode:)``). Indices stay those of the full plane.
public func maxPool2d(_ window: RowWindow, parameters p: MaxPool2dParameters, rows: Range<Int>?) throws -> MaxPoolResult {
    let g = try Pool2dGeometry(input: window.fullShape, kernel: p.kernel, stride: p.stride, padding: p.padding,
                               dilation: p.dilation, ceilMode: p.ceilMode, paddingMode: p.paddingMode)
    let outputRows = try g.validateRows(rows)
    let element = try p.dilatedWindow()
    guard p.returnIndices else {
        return MaxPoolResult(output: slidingPool(window, geometry: g, element: element, reduction: .max, mode: p.paddingMode, rows: outputRows))
    }
    var indices = [Int64](repeating: 0, count: g.output.n * g.output.c * outputRows.count * g.output.w)
    let output = indices.withUnsafeMutableBufferPointer {
        slidingPool(window, geometry: g, element: element, reduction: .argmax, mode: p.paddingMode, rows: outputRows, indices: $0.baseAddress)
    }
    return MaxPoolResult(output: output, indices: indices)
}

extension MaxPool2dParameters {
    /// The window as a structuring element: d·(k − 1) + 1 samples each way, with taps at multiples of the dilation.
    func dilatedWindow() throws -> StructuringElement {
        let span = Pair(h: dilation.h * (kernel.h - 1) + 1, w: dilation.w * (kernel.w - 1) + 1)
        var mask = [Bool](repeating: false, count: span.h * span.w)
        for ky in 0..<kernel.h { for kx in 0..<kernel.w { mask[ky * dilation.h * span.w + kx * dilation.w] = true } }
        return try StructuringElement(rows: span.h, columns: span.w, mask: mask)
    }
}
