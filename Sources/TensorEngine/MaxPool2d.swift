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
/// scanning the window row by row, PyTorch's way: the running maximum starts at −∞ with the index of
/// the first sample inside the input, and a sample replaces it when `value > max` or `value` is NaN.
/// So ties keep the first maximum, and a NaN propagates (the last NaN's index is reported).
///
/// Indices (when `returnIndices`) are PyTorch's: `y·W + x` within the input plane, one per output
/// element in NCHW order. With a `paddingMode`, a padded sample's index is that of the input sample it
/// copies, or −1 for a constant.
///
/// Without indices, when every window lies inside the input, it runs on the vectorised path of
/// a vectorised loop.
public func maxPool2d(_ input: Tensor, parameters p: MaxPool2dParameters) throws -> MaxPoolResult {
    try maxPool2d(RowWindow(whole: input), parameters: p, rows: nil)
}

/// Output rows `rows` (nil: all) of ``maxPool2d(_:parameters:)`` on the full input `window` is part of; the window
/// must hold the input rows they read (``Pool2dGeometry/inputRows(for:mode:)``). Indices stay those of the full plane.
public func maxPool2d(_ window: RowWindow, parameters p: MaxPool2dParameters, rows: Range<Int>?) throws -> MaxPoolResult {
    let input = window.tensor
    let g = try Pool2dGeometry(input: window.fullShape, kernel: p.kernel, stride: p.stride, padding: p.padding,
                               dilation: p.dilation, ceilMode: p.ceilMode, paddingMode: p.paddingMode)
    let outputRows = try g.validateRows(rows)
    if !p.returnIndices, g.windowsInsideInput {
        return MaxPoolResult(output: poolWindowsInside(window, rows: outputRows, geometry: g, reduction: .max))
    }
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let inputPlane = input.h * input.w, firstRow = window.top
    /// Pools every plane, writing indices through `indexBase` when it is not nil.
    func pool(_ indexBase: UnsafeMutablePointer<Int64>?) -> Tensor {
        input.withUnsafeBufferPointer { source in
            Tensor(shape: out) { destination in
                guard out.count > 0 else { return }
                let src = UncheckedSendable(source.baseAddress ?? emptyPlane), dst = UncheckedSendable(destination.baseAddress!)
                let indexPointer = UncheckedSendable(indexBase)
                let window = p.kernel.h * p.kernel.w
                let band = bandHeight(rows: out.h, planes: out.planeCount, workPerRow: out.w * window)
                let bandsPerPlane = (out.h + band - 1) / band
                parallelFor(out.planeCount * bandsPerPlane) { item in
                    let plane = item / bandsPerPlane, first = outputRows.lowerBound + (item % bandsPerPlane) * band
                    maxPoolPlane(src.value + plane * inputPlane, firstRow: firstRow,
                                 rows: first..<min(first + band, outputRows.upperBound), firstOutputRow: outputRows.lowerBound,
                                 geometry: g, mode: p.paddingMode, into: dst.value + plane * out.planeSize,
                                 indices: indexPointer.value.map { $0 + plane * out.planeSize })
                }
            }
        }
    }
    guard p.returnIndices else { return MaxPoolResult(output: pool(nil)) }
    var indices = [Int64](repeating: 0, count: out.count)
    let output = indices.withUnsafeMutableBufferPointer { pool($0.baseAddress) }
    return MaxPoolResult(output: output, indices: indices)
}

/// Output rows `rows` of one plane of ``maxPool2d(_:parameters:)``: `input` holds the plane's rows `firstRow…`,
/// `output` and `indices` hold output rows `firstOutputRow…`.
private func maxPoolPlane(_ input: UnsafePointer<Float>, firstRow: Int, rows: Range<Int>, firstOutputRow: Int, geometry g: Pool2dGeometry, mode: PaddingMode?,
                          into output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int64>?) {
    let outWidth = g.output.w
    for i in rows {
        let top = i * g.stride.h - g.padding.h
        for j in 0..<outWidth {
            let left = j * g.stride.w - g.padding.w
            var best = -Float.infinity
            var bestIndex: Int
            if let mode {
                bestIndex = -1
                var first = true
                for ky in 0..<g.kernel.h {
                    let sy = sourceIndex(top + ky * g.dilation.h, size: g.height, mode: mode)
                    for kx in 0..<g.kernel.w {
                        let sx = sourceIndex(left + kx * g.dilation.w, size: g.width, mode: mode)
                        let value: Float, index: Int
                        if let sy, let sx {
                            index = sy * g.width + sx
                            value = input[index - firstRow * g.width]
                        } else {
                            index = -1
                            value = mode.constantValue ?? 0
                        }
                        if first { bestIndex = index; first = false }
                        if value > best || value.isNaN { best = value; bestIndex = index }
                    }
                }
            } else {
                // PyTorch: the first in-bounds position of the window, stepping by the dilation.
                var y0 = top, x0 = left
                while y0 < 0 { y0 += g.dilation.h }
                while x0 < 0 { x0 += g.dilation.w }
                bestIndex = y0 * g.width + x0
                var y = y0
                while y < min(top + g.kernel.h * g.dilation.h, g.height) {
                    let row = y * g.width
                    var x = x0
                    while x < min(left + g.kernel.w * g.dilation.w, g.width) {
                        let value = input[row - firstRow * g.width + x]
                        if value > best || value.isNaN { best = value; bestIndex = row + x }
                        x += g.dilation.w
                    }
                    y += g.dilation.h
                }
            }
            output[(i - firstOutputRow) * outWidth + j] = best
            indices?[(i - firstOutputRow) * outWidth + j] = Int64(bestIndex)
        }
    }
}
