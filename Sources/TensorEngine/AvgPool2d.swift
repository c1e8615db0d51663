/// The options of `torch.nn.AvgPool2d`.
public struct AvgPool2dParameters: Hashable, Sendable {
    /// The window (kH, kW), at least 1×1.
    public var kernel: Pair
    /// nil: equal to `kernel`, as PyTorch's default.
    public var stride: Pair?
    /// Symmetric padding; each side at most half the kernel.
    public var padding: Pair
    /// Round the output size up (PyTorch's `ceil_mode`); a window that then runs past the padding is divided by
    /// the samples it covers inside the padded input.
    public var ceilMode: Bool
    /// Divide by the window size including padded samples (true) or by the input samples only (false).
    public var countIncludePad: Bool
    /// Divide by this instead; must not be 0.
    public var divisorOverride: Int?
    /// nil or `zeros`: PyTorch's zero padding. Another mode (beyond PyTorch, for images) averages the
    /// padded values the mode reads (``PaddingMode``); then `countIncludePad` must stay true.
    public var paddingMode: PaddingMode?

    /// PyTorch's defaults: stride = kernel, no padding, floor mode, `count_include_pad=True`, no divisor override.
    public init(kernel: Pair, stride: Pair? = nil, padding: Pair = Pair(0), ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil, paddingMode: PaddingMode? = nil) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
        self.paddingMode = paddingMode
    }
}

/// `F.avg_pool2d` with PyTorch's exact divisor. For output (i, j), along each axis
///
///     start = i·s − p,   end = min(start + k, size + p),   poolSize = (endH − startH)·(endW − startW)
///
/// (a ceil-mode window is cut at the far padding edge), then the window is clipped to the input,
/// start′ = max(start, 0), end′ = min(end, size), and
///
///     y = Σ x[start′..<end′] / (divisorOverride ?? (countIncludePad ? poolSize : (end′H − start′H)·(end′W − start′W)))
///
/// A window with no input sample gives 0, as PyTorch. With a reading `paddingMode` the sum runs over
/// the unclipped `start..<end` through the padding mode and the divisor is `divisorOverride ?? poolSize`.
///
/// When every window lies inside the input (no padding, the usual 2×2 stride-2 shrink) it runs on the
/// vectorised path of a vectorised loop.
public func avgPool2d(_ input: Tensor, parameters p: AvgPool2dParameters) throws -> Tensor {
    try avgPool2d(RowWindow(whole: input), parameters: p, rows: nil)
}

/// Output rows `rows` (nil: all) of ``avgPool2d(_:parameters:)`` on the full input `window` is part of; the window
/// must hold the input rows they read (``Pool2dGeometry/inputRows(for:mode:)`` with ``AvgPool2dParameters/readingMode``).
public func avgPool2d(_ window: RowWindow, parameters p: AvgPool2dParameters, rows: Range<Int>?) throws -> Tensor {
    let input = window.tensor
    if let divisor = p.divisorOverride, divisor == 0 {
        throw EngineError("divisorOverride must not be 0")
    }
    let readingMode = p.readingMode
    if readingMode != nil, !p.countIncludePad {
        throw EngineError("countIncludePad false only makes sense with zero padding, but the padding mode is \(p.paddingMode!)")
    }
    let g = try Pool2dGeometry(input: window.fullShape, kernel: p.kernel, stride: p.stride, padding: p.padding,
                               dilation: Pair(1), ceilMode: p.ceilMode, paddingMode: readingMode)
    let outputRows = try g.validateRows(rows)
    if g.windowsInsideInput {
        return poolWindowsInside(window, rows: outputRows, geometry: g,
                                 reduction: .average(divisor: Float(p.divisorOverride ?? p.kernel.h * p.kernel.w)))
    }
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let inputPlane = input.h * input.w, firstRow = window.top
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let src = UncheckedSendable(source.baseAddress ?? emptyPlane), dst = UncheckedSendable(destination.baseAddress!)
            let band = bandHeight(rows: out.h, planes: out.planeCount, workPerRow: out.w * p.kernel.h * p.kernel.w)
            let bandsPerPlane = (out.h + band - 1) / band
            parallelFor(out.planeCount * bandsPerPlane) { item in
                let plane = item / bandsPerPlane, first = outputRows.lowerBound + (item % bandsPerPlane) * band
                avgPoolPlane(src.value + plane * inputPlane, firstRow: firstRow, rows: first..<min(first + band, outputRows.upperBound),
                             firstOutputRow: outputRows.lowerBound, geometry: g, parameters: p, mode: readingMode,
                             into: dst.value + plane * out.planeSize)
            }
        }
    }
}

extension AvgPool2dParameters {
    /// The padding mode that reads input samples (nil for PyTorch's zeros, which reads none).
    public var readingMode: PaddingMode? { paddingMode.flatMap { $0 == .zeros ? nil : $0 } }
}

/// Output rows `rows` of one plane of ``avgPool2d(_:parameters:)``: `input` holds the plane's rows `firstRow…`,
/// `output` its output rows `firstOutputRow…`.
private func avgPoolPlane(_ input: UnsafePointer<Float>, firstRow: Int, rows: Range<Int>, firstOutputRow: Int, geometry g: Pool2dGeometry, parameters p: AvgPool2dParameters,
                          mode: PaddingMode?, into output: UnsafeMutablePointer<Float>) {
    for i in rows {
        let top = i * g.stride.h - g.padding.h
        let bottom = min(top + g.kernel.h, g.height + g.padding.h)
        for j in 0..<g.output.w {
            let left = j * g.stride.w - g.padding.w
            let right = min(left + g.kernel.w, g.width + g.padding.w)
            let poolSize = (bottom - top) * (right - left)
            var sum: Float = 0
            let divisor: Int
            if let mode {
                for y in top..<bottom {
                    let sy = sourceIndex(y, size: g.height, mode: mode)
                    for x in left..<right {
                        if let sy, let sx = sourceIndex(x, size: g.width, mode: mode) {
                            sum += input[(sy - firstRow) * g.width + sx]
                        } else {
                            sum += mode.constantValue ?? 0
                        }
                    }
                }
                divisor = p.divisorOverride ?? poolSize
            } else {
                let y0 = max(top, 0), y1 = min(bottom, g.height)
                let x0 = max(left, 0), x1 = min(right, g.width)
                if y0 >= y1 || x0 >= x1 {
                    output[(i - firstOutputRow) * g.output.w + j] = 0
                    continue
                }
                for y in y0..<y1 {
                    let row = input + (y - firstRow) * g.width
                    for x in x0..<x1 { sum += row[x] }
                }
                divisor = p.divisorOverride ?? (p.countIncludePad ? poolSize : (y1 - y0) * (x1 - x0))
            }
            output[(i - firstOutputRow) * g.output.w + j] = sum / Float(divisor)
        }
    }
}
