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
/// It runs on the sliding-window core of max pooling and the morphology filters (``maskedPool2d(_:parameters:)``):
/// each window's sum starts at 0 and adds its samples in row-major order, as PyTorch's CPU kernel does, so with
/// zero padding the results are PyTorch's bit for bit.
public func avgPool2d(_ input: Tensor, parameters p: AvgPool2dParameters) throws -> Tensor {
    try avgPool2d(RowWindow(whole: input), parameters: p, rows: nil)
}

/// Output rows `rows` (nil: all) of ``avgPool2d(_:parameters:)`` on the full input `window` is part of; the window
/// must hold the input rows they read (``Pool2dGeometry/inputRows(for:mode:)`` with ``AvgPool2dParameters/readingMode``).
public func avgPool2d(_ window: RowWindow, parameters p: AvgPool2dParameters, rows: Range<Int>?) throws -> Tensor {
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
    let element = try StructuringElement(rows: p.kernel.h, columns: p.kernel.w, mask: [Bool](repeating: true, count: p.kernel.h * p.kernel.w))
    return slidingPool(window, geometry: g, element: element, reduction: .mean(AverageDivisor(geometry: g, parameters: p)),
                       mode: readingMode, rows: outputRows)
}

extension AvgPool2dParameters {
    /// The padding mode that reads input samples (nil for PyTorch's zeros, which reads none).
    public var readingMode: PaddingMode? { paddingMode.flatMap { $0 == .zeros ? nil : $0 } }
}

/// Average pooling's divisor rule, per output: the override, or the product of one factor per axis, each
/// end − start (the window cut at the far padding edge; `countIncludePad` or a reading mode) or end′ − start′
/// (clipped to the input). Samples at padded positions from `farEdge` on (size + pBefore + pAfter per axis) are left
/// out of the sum (``leaveOut(_:)``).
struct AverageDivisor: Equatable, Sendable {
    let override: Int?
    /// One factor per output row and per output column.
    let rowFactors: [Int], columnFactors: [Int]
    /// The padded row and column (counting the padding before) from which samples are left out.
    let farEdge: Pair

    init(geometry g: Pool2dGeometry, parameters p: AvgPool2dParameters) {
        override = p.divisorOverride
        let wholeWindow = p.countIncludePad || p.readingMode != nil
        /// The factor of output `i` along an axis of `size` samples.
        func factors(count: Int, size: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int) -> [Int] {
            (0..<count).map { i in
                let start = i * stride - padBefore, end = min(start + kernel, size + padAfter)
                return wholeWindow ? end - start : max(0, min(end, size) - max(start, 0))
            }
        }
        rowFactors = factors(count: g.output.h, size: g.height, kernel: g.kernel.h, stride: g.stride.h, padBefore: g.padding.h, padAfter: g.paddingAfter.h)
        columnFactors = factors(count: g.output.w, size: g.width, kernel: g.kernel.w, stride: g.stride.w, padBefore: g.padding.w, padAfter: g.paddingAfter.w)
        farEdge = Pair(h: g.height + g.padding.h + g.paddingAfter.h, w: g.width + g.padding.w + g.paddingAfter.w)
    }

    /// Zeros the band's samples at or beyond the far edge (a ceil-mode window is cut there even when a reading mode
    /// would give values).
    func leaveOut(_ band: MaskedBand) {
        for r in 0..<band.rows {
            let row = band.row(r)
            if band.firstPaddedRow + r >= farEdge.h { row.update(repeating: 0, count: band.rowLength) }
            else if farEdge.w < band.rowLength { (row + farEdge.w).update(repeating: 0, count: band.rowLength - farEdge.w) }
        }
    }

    /// values[j] /= divisor of output (`outputRow`, j), for every column; an output whose window holds no input
    /// sample (divisor 0 without the override) is 0, as PyTorch.
    func divide(_ values: UnsafeMutablePointer<Float>, outputRow: Int) {
        if let override {
            let d = Float(override)
            for j in 0..<columnFactors.count { values[j] /= d }
            return
        }
        let rowFactor = rowFactors[outputRow]
        columnFactors.withUnsafeBufferPointer { columns in
            for j in 0..<columns.count {
                let d = rowFactor * columns[j]
                values[j] = d == 0 ? 0 : values[j] / Float(d)
            }
        }
    }
}
