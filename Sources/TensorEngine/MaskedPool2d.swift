/// What a structuring element's window is reduced to.
public enum WindowReduction: Hashable, Sendable, CustomStringConvertible {
    /// The largest sample (dilation; max pooling's rule: NaN propagates).
    case max
    /// The smallest sample (erosion; NaN propagates).
    case min
    /// The sample at this index of the window's samples sorted in ascending order: 0 is the minimum,
    /// count − 1 the maximum, ⌊count/2⌋ the median.
    case rank(Int)

    public var description: String {
        switch self {
        case .max: "max"
        case .min: "min"
        case .rank(let r): "rank \(r)"
        }
    }
}

/// The options of ``maskedPool2d(_:parameters:)``: a structuring element, its reduction, a stride and what lies
/// outside the image.
public struct MaskedPool2dParameters: Hashable, Sendable {
    /// The taps each output reduces, around its anchor.
    public var element: StructuringElement
    /// Max (dilation), min (erosion) or a rank (median) over the taps.
    public var reduction: WindowReduction
    /// Rows and columns between output samples (1: every pixel).
    public var stride: Pair
    /// nil: the pixels outside the image are ignored (they pad with the reduction's identity, −∞ for max, +∞ for
    /// min: OpenCV's default border for `dilate`/`erode` and PyTorch's max-pool padding); a rank needs a mode.
    /// A reading mode reaches any distance (``PaddingReach/unlimited``), so any element fits any image of at least 1×1.
    public var paddingMode: PaddingMode?

    /// Defaults: every pixel (stride 1), the outside ignored.
    public init(element: StructuringElement, reduction: WindowReduction, stride: Pair = Pair(1), paddingMode: PaddingMode? = nil) {
        self.element = element
        self.reduction = reduction
        self.stride = stride
        self.paddingMode = paddingMode
    }

    /// The window's geometry on an input of `input`'s shape: the element's size, padded by its anchor above and left
    /// and by the rest below and right, so H_out = ⌊(H − 1)/s⌋ + 1 (the input's size at stride 1).
    public func geometry(input: TensorShape) throws -> Pool2dGeometry {
        guard stride.h >= 1, stride.w >= 1 else { throw EngineError("stride must be at least 1, but it is \(stride)") }
        if case .rank(let r) = reduction {
            guard r >= 0, r < element.count else {
                throw EngineError("rank \(r) is outside the \(element.count) samples of the structuring element")
            }
            guard paddingMode != nil else { throw EngineError("a rank filter needs a padding mode (it cannot ignore the pixels outside the image)") }
        }
        return try Pool2dGeometry(input: input, kernel: Pair(h: element.rows, w: element.columns), stride: stride, sides: element.centredPadding,
                                  dilation: Pair(1), ceilMode: false, paddingMode: paddingMode, reach: .unlimited)
    }

    /// The input rows output rows `rows` read (``Pool2dGeometry/inputRows(for:mode:)``; ignored pixels read none).
    public func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        try geometry(input: input).inputRows(for: rows, mode: paddingMode)
    }

    /// The mode the padded bands are filled with: the given one, or the identity of max or min as a constant.
    var bandMode: PaddingMode {
        if let paddingMode { return paddingMode }
        switch reduction {
        case .max: return .constant(Maximum.identity)
        case .min, .rank: return .constant(Minimum.identity)
        }
    }
}

/// Morphology and rank filters: every output reduces the input samples under a structuring element,
///
///     y[n, c, i, j] = ⊕ over taps (ky, kx) of the element of x̃[n, c, i·sH + ky − aH, j·sW + kx − aW]
///
/// (a = the element's anchor, x̃ the input read through the padding rule the padding mode, or the
/// reduction's identity when the pixels outside are ignored), ⊕ being max, min or the rank-th smallest.
/// It is the one sliding-window core, which max and average pooling run on too (``maxPool2d(_:parameters:)``: a
/// rectangle with taps every d samples; ``avgPool2d(_:parameters:)``: PyTorch's row-major sums): the same geometry
/// (``Pool2dGeometry``, the one output-size formula and row rule) and the same padded row bands as convolution (bands
/// of padded rows; a rectangle's max and min read the input rows in place instead and pad only their vertical extrema across).
///
/// Algorithms, all exact for every Float32 input:
/// - max and min of a rectangle: two separable passes (a rectangle's extremum is the extremum of its columns'
///   extrema), vertical first: down the columns a direct scan, or van Herk/Gil-Werman when it costs fewer row
///   operations (heights above 8 whose windows overlap enough; blocks of kH padded rows aligned at absolute row numbers; each output is the extremum of a block suffix and
///   the next block's prefix: three row operations per row whatever the height), then along each output row a direct
///   scan up to 8 and doubling beyond (⌊log₂ kW⌋ + 1 vectorised passes, a van Herk/Gil-Werman running extremum);
/// - max and min of another element: each row's runs of set taps as horizontal sliding extrema of the run's length;
/// - rank, up to 36 taps: a selection network (Batcher's odd–even merge sort, pruned to
///   the comparators the rank's wire depends on) on 8 output columns at once. Comparators swap only when b < a, so an
///   output is always one of the window's samples; −0 and +0 tie (either may come out), and a window holding NaN may
///   give NaN or any of its samples (the same for every strip);
/// - rank, more taps: Huang's running histogram over ordinal codes of each tile's samples (an LSD radix sort of
///   their totalOrder keys gives codes 0 ..< D that keep the order exactly, ties sharing one), 2·min(sW, run length) histogram
///   updates per element row run and output, so a k×k square costs 2k per output instead of k². The output is the
///   rank-th sample in IEEE totalOrder (−0 below +0), bit for bit, with every NaN one value above +∞: a window holding
///   NaN gives `Float.nan` only when the rank reaches its NaNs (until issue 18's histogram, a three-way quickselect
///   left that to the pivot).
/// The crossover, 36 taps, is where the two cost the same on a 12 MP photo (a 6×6 square).
public func maskedPool2d(_ input: Tensor, parameters p: MaskedPool2dParameters) throws -> Tensor {
    try maskedPool2d(RowWindow(whole: input), parameters: p, rows: nil)
}

/// Rank filters of at most this many taps run on a selection network; larger ones on ``RankHistogram``.
let maskedPoolNetworkLimit = 36

/// Output rows `rows` (nil: all) of ``maskedPool2d(_:parameters:)`` on the full input `window` is part of; the window
/// must hold the input rows they read (``MaskedPool2dParameters/inputRows(for:input:)``).
public func maskedPool2d(_ window: RowWindow, parameters p: MaskedPool2dParameters, rows: Range<Int>?) throws -> Tensor {
    try maskedPool2d(window, parameters: p, rows: rows, rankTileSamples: rankTileSamples)
}

/// The same, with the histogram's tiles of about `rankTileSamples` padded samples (tests make them small, to split a
/// small image into many tiles).
func maskedPool2d(_ window: RowWindow, parameters p: MaskedPool2dParameters, rows: Range<Int>?, rankTileSamples: Int) throws -> Tensor {
    let g = try p.geometry(input: window.fullShape)
    return slidingPool(window, geometry: g, element: p.element, reduction: SlidingReduction(p.reduction), mode: p.paddingMode,
                       rows: try g.validateRows(rows), rankTileSamples: rankTileSamples)
}

/// What ``slidingPool(_:geometry:element:reduction:mode:rows:indices:)`` reduces each window to.
enum SlidingReduction: Equatable, Sendable {
    /// The largest sample (NaN propagates), or the smallest.
    case max, min
    /// The rank-th smallest sample.
    case rank(Int)
    /// PyTorch's max-pool scan: the maximum and the index of the first (the last NaN's).
    case argmax
    /// The sum divided by average pooling's divisor.
    case mean(AverageDivisor)

    init(_ reduction: WindowReduction) {
        switch reduction {
        case .max: self = .max
        case .min: self = .min
        case .rank(let r): self = .rank(r)
        }
    }

    /// What an ignored outside pads with: the value that never wins (−∞ for a maximum, +∞ for a minimum), 0 for a sum.
    var identity: Float {
        switch self {
        case .max, .argmax: Maximum.identity
        case .min, .rank: Minimum.identity
        case .mean: 0
        }
    }

    /// A rectangle's reduction runs as two separable passes (``MaskedPoolPlan/rectangleExtremum(_:_:rows:across:into:)``).
    var isSeparable: Bool { self == .max || self == .min }
}

/// The one sliding-window core of max pooling, morphology and rank filters: output (i, j) of every plane reduces the
/// padded input samples x̃[i·sH + ky − pT, j·sW + kx − pL] of the element's taps (ky, kx) with `reduction`, where
/// x̃ reads the input through `mode` (nil: the outside is ignored, i.e. padded with the reduction's identity). The
/// geometry `g` gives the output size, the stride and the padding before (pT, pL); the element spans the window, so
/// a dilated pooling window is the element with taps every d samples.
///
/// With `indices` (max only) it is PyTorch's max-pool scan instead (``maxPool2d(_:parameters:)``): every window in
/// row-major tap order, the running maximum replaced when `value > max` or `value` is NaN, and the argmax written
/// as `y·W + x` of the input sample (−1 for a constant).
///
/// Outputs are computed in bands of rows (``ConvolutionBands``); a band's result depends on absolute row numbers only,
/// so results do not depend on how the rows are split into calls or bands.
func slidingPool(_ window: RowWindow, geometry g: Pool2dGeometry, element e: StructuringElement, reduction: SlidingReduction,
                 mode: PaddingMode?, rows outputRows: Range<Int>, indices: UnsafeMutablePointer<Int64>? = nil,
                 rankTileSamples: Int = TensorEngine.rankTileSamples) -> Tensor {
    precondition((indices != nil) == (reduction == .argmax), "the argmax writes indices, and only it")
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let width = window.shape.w
    // Stride-1 output columns, and the padding after that the last window reaches (a ceil-mode window may reach past
    // the geometry's padding; floor mode may leave rows and columns no window reads).
    let columns = (g.output.w - 1) * g.stride.w + 1
    let padding = Padding(top: g.padding.h, bottom: max(0, (g.output.h - 1) * g.stride.h + e.rows - g.height - g.padding.h),
                          left: g.padding.w, right: max(0, columns + e.columns - 1 - width - g.padding.w))
    let bandMode = mode ?? .constant(reduction.identity)
    let bands = ConvolutionBands(height: window.height, width: width, padding: padding, mode: bandMode,
                                 kernel: Pair(h: e.rows, w: e.columns), stride: Pair(h: g.stride.h, w: 1), dilation: Pair(1),
                                 output: Pair(h: out.h, w: columns))
    let plan = MaskedPoolPlan(element: e, reduction: reduction)
    if case .rank(let rank) = reduction, plan.network == nil {
        return rankTiles(rank, window, plan: plan, geometry: g, bands: bands, outputRows: outputRows, output: out, tileSamples: rankTileSamples)
    }
    let separable = reduction.isSeparable && e.isRectangle
    var bandRows = bands.bandHeight(channels: 1, otherItems: out.planeCount)
    if separable, e.rows > directExtremumLimit {
        // van Herk's vertical pass costs three row operations per padded row of the band, so a band re-reads its
        // kH − 1 halo rows for every band: make bands up to twice the halo, as many as the cores need.
        let bandsPerPlane = max(1, (activeProcessorCount + out.planeCount - 1) / out.planeCount)
        bandRows = max(bandRows, min((out.h + bandsPerPlane - 1) / bandsPerPlane, 2 * e.rows))
    }
    let band = bandRows
    let bandsPerPlane = out.h == 0 ? 0 : (out.h + band - 1) / band
    let scratchRows = bands.scratchRows(band: band), rowLength = bands.rowLength
    let scratchCount = separable
        ? MaskedBand.separableScratch(outputRows: band, rows: scratchRows, stride: g.stride.h, kernelRows: e.rows, width: width, rowLength: rowLength)
        : scratchRows * rowLength + 2 * columns + 2 * rowLength + e.count + 16
    // The horizontal padding of one row (a one-row plane), for the rectangles' vertical extrema.
    let across = ConvolutionBands(height: 1, width: width, padding: Padding(top: 0, bottom: 0, left: padding.left, right: padding.right),
                                  mode: bandMode, kernel: Pair(h: 1, w: e.columns), stride: Pair(1), dilation: Pair(1), output: Pair(h: 1, w: columns))
    return window.withRowAddresses { inputRows in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let dst = UncheckedSendable(destination.baseAddress!)
            let indexBase = UncheckedSendable(indices)
            parallelFor(out.planeCount * bandsPerPlane, scratchCount: scratchCount) { item, scratch in
                let plane = item / bandsPerPlane, first = outputRows.lowerBound + (item % bandsPerPlane) * band
                let last = min(first + band, outputRows.upperBound)
                let padded = bands.paddedRows(for: first..<last)
                let offset = plane * out.planeSize + (first - outputRows.lowerBound) * out.w
                let output = dst.value + offset
                if separable {
                    // A rectangle's extremum reads the input rows in place (the padding rule picks the row, or a row of
                    // the constant), and pads only the vertical extrema across: max over rows commutes with the column rule.
                    let band = MaskedBand(padded: scratch, rowLength: rowLength, rows: padded.count, firstPaddedRow: padded.lowerBound,
                                          outputRows: last - first, width: width, columns: columns, outputWidth: out.w, stride: g.stride,
                                          work: scratch + rowLength)
                    let constantRow = band.work
                    constantRow.update(repeating: bands.fill, count: width)
                    let rows = padded.map { r -> UnsafePointer<Float> in
                        guard let sy = bands.sourceRow(r) else { return UnsafePointer(constantRow) }
                        return inputRows.row(sy, plane: plane)
                    }
                    if reduction == .max { plan.rectangleExtremum(Maximum.self, band, rows: rows, across: across, into: output) }
                    else { plan.rectangleExtremum(Minimum.self, band, rows: rows, across: across, into: output) }
                    return
                }
                let band = MaskedBand(padded: scratch, rowLength: rowLength, rows: padded.count, firstPaddedRow: padded.lowerBound,
                                      outputRows: last - first, width: width, columns: columns, outputWidth: out.w, stride: g.stride,
                                      work: scratch + padded.count * rowLength)
                bands.fillRows(padded, plane: plane, of: inputRows, into: scratch)
                if case .mean(let divisor) = reduction {
                    divisor.leaveOut(band)
                    plan.mean(divisor, band, firstOutputRow: first, into: output)
                    return
                }
                if reduction == .argmax, let indexBase = indexBase.value {
                    plan.argmax(band, bands: bands, dilation: g.dilation, ignoresOutside: mode == nil, into: output, indices: indexBase + offset)
                    return
                }
                switch reduction {
                case .max: plan.extremum(Maximum.self, band, into: output)
                case .min: plan.extremum(Minimum.self, band, into: output)
                case .rank(let r): plan.rank(r, band, into: output)
                case .argmax, .mean: preconditionFailure("\(reduction) runs above")
                }
            }
        }
    }
}

/// One band of a call: its padded input rows (stride-1 columns, `rowLength` samples each, at least
/// `columns` + kW − 1) and where its outputs go.
struct MaskedBand {
    let padded: UnsafeMutablePointer<Float>
    let rowLength: Int
    /// Padded rows held.
    let rows: Int
    /// The first held row's number among the full input's padded rows (van Herk's blocks align to it).
    let firstPaddedRow: Int
    let outputRows: Int
    /// The input's width W.
    let width: Int
    /// Output columns at horizontal stride 1, (W_out − 1)·sW + 1 (W for a structuring element).
    let columns: Int
    let outputWidth: Int
    let stride: Pair
    /// Free scratch: after the padded rows, 2·columns + 2·rowLength + taps + 16 floats; for a separable rectangle
    /// (which fills no padded rows but the first) ``separableScratch(outputRows:rows:stride:kernelRows:width:rowLength:)`` less a row.
    let work: UnsafeMutablePointer<Float>

    func row(_ r: Int) -> UnsafeMutablePointer<Float> { padded + r * rowLength }

    /// Whether a rectangle's vertical extremum over `n` output rows at stride `s` runs van Herk/Gil-Werman (three row
    /// operations per padded row, (n − 1)·s + kH rows) rather than directly (kH − 1 per output row): when it is cheaper.
    /// True for n implies true for every larger n, so a band's scratch sized for its full height covers a shorter last band.
    static func usesVanHerk(outputRows n: Int, stride s: Int, kernelRows kH: Int) -> Bool {
        kH > directExtremumLimit && 3 * ((n - 1) * s + kH) < n * (kH - 1)
    }

    /// Scratch floats of a separable rectangle's band: the padded row, a row of the constant, the vertical extrema
    /// of the output rows, van Herk's suffix and prefix rows when it runs, and two rows for the horizontal pass.
    static func separableScratch(outputRows n: Int, rows: Int, stride s: Int, kernelRows kH: Int, width: Int, rowLength: Int) -> Int {
        rowLength + width + n * width + (usesVanHerk(outputRows: n, stride: s, kernelRows: kH) ? 2 * rows * width : 0) + 2 * rowLength + 16
    }

    /// out[j] = full[j·sW] for j < outputWidth.
    @inline(__always)
    func subsample(_ full: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        if stride.w == 1 { out.update(from: full, count: outputWidth); return }
        for j in 0..<outputWidth { out[j] = full[j * stride.w] }
    }
}

/// The work of one ``maskedPool2d(_:parameters:)`` call that does not depend on the data: the element's runs per row
/// and, for a rank, its selection network.
struct MaskedPoolPlan: Sendable {
    let element: StructuringElement
    let runs: [[(start: Int, length: Int)]]
    /// For a rank, the taps (ky, kx) in row-major order (empty otherwise: a pooling window may have millions).
    let taps: [(ky: Int, kx: Int)]
    let network: SelectionNetwork?

    init(element: StructuringElement, reduction: SlidingReduction) {
        self.element = element
        runs = (0..<element.rows).map { element.runs(ofRow: $0) }
        guard case .rank(let r) = reduction else {
            taps = []
            network = nil
            return
        }
        taps = (0..<element.rows).flatMap { ky in (0..<element.columns).compactMap { kx in element.mask[ky * element.columns + kx] ? (ky, kx) : nil } }
        if taps.count <= maskedPoolNetworkLimit {
            network = SelectionNetwork(wires: taps.count, selecting: r)
        } else {
            network = nil
        }
    }

    /// Max or min of a rectangle over every window of the band, separable: the vertical extremum of kH input rows for
    /// each output row (`rows`: the band's padded rows as input rows, W samples each), padded across by the column rule
    /// (`across`), then its horizontal extrema, so the horizontal pass runs on output rows only. Down the columns a
    /// direct scan unless van Herk/Gil-Werman is cheaper (``MaskedBand/usesVanHerk(outputRows:stride:kernelRows:)``): blocks of kH padded rows counted from
    /// padded row 0, suffix and prefix extrema within each, and y = suffix[top] ⊕ prefix[top + kH − 1]. Along the rows a direct
    /// scan, or doubling beyond ``directExtremumLimit``.
    func rectangleExtremum<E: Extremum>(_ e: E.Type, _ band: MaskedBand, rows: [UnsafePointer<Float>], across: ConvolutionBands,
                                        into output: UnsafeMutablePointer<Float>) {
        let w = band.width, kH = element.rows, L = band.rowLength
        // band.work holds the constant row (W), then the vertical extrema, van Herk's rows, and the horizontal pass's rows.
        let vertical = band.work + w, suffix = vertical + band.outputRows * w, prefix = suffix + band.rows * w
        let vanHerk = MaskedBand.usesVanHerk(outputRows: band.outputRows, stride: band.stride.h, kernelRows: kH)
        let temp = vanHerk ? prefix + band.rows * w : suffix
        if !vanHerk {
            for i in 0..<band.outputRows {
                let top = i * band.stride.h, target = vertical + i * w
                if kH == 1 { target.update(from: rows[top], count: w) } else { combineRows(E.self, rows[top], rows[top + 1], into: target, count: w) }
                for ky in 2 ..< max(kH, 2) { combineRow(E.self, rows[top + ky], into: target, count: w) }
            }
        } else {
            for r in stride(from: band.rows - 1, through: 0, by: -1) {
                if r == band.rows - 1 || (band.firstPaddedRow + r + 1) % kH == 0 {
                    (suffix + r * w).update(from: rows[r], count: w)
                } else {
                    combineRows(E.self, rows[r], suffix + (r + 1) * w, into: suffix + r * w, count: w)
                }
            }
            for r in 0..<band.rows {
                if r == 0 || (band.firstPaddedRow + r) % kH == 0 {
                    (prefix + r * w).update(from: rows[r], count: w)
                } else {
                    combineRows(E.self, prefix + (r - 1) * w, rows[r], into: prefix + r * w, count: w)
                }
            }
            for i in 0..<band.outputRows {
                let top = i * band.stride.h
                combineRows(E.self, suffix + top * w, prefix + (top + kH - 1) * w, into: vertical + i * w, count: w)
            }
        }
        let paddedRow = band.padded, full = temp + L
        for i in 0..<band.outputRows {
            across.fillColumns(0 ..< across.rowLength, from: vertical + i * w, into: paddedRow)
            let target = output + i * band.outputWidth
            if element.columns <= directExtremumLimit {
                directWindows(E.self, paddedRow, length: element.columns, stride: band.stride.w, rowLength: L, count: band.outputWidth, into: target)
            } else if band.stride.w == 1 {
                slidingExtremum(E.self, paddedRow, length: element.columns, count: band.columns, into: target, temp: temp)
            } else {
                slidingExtremum(E.self, paddedRow, length: element.columns, count: band.columns, into: full, temp: temp)
                band.subsample(full, into: target)
            }
        }
    }

    /// Max or min of every window of the band.
    func extremum<E: Extremum>(_ e: E.Type, _ band: MaskedBand, into output: UnsafeMutablePointer<Float>) {
        let w = band.columns, kH = element.rows
        let temp = band.work + 2 * w
        // Any other element: the extremum of each row's runs, as sliding extrema of the run's length.
        let accumulator = band.work, run = band.work + w, slideTemp = temp
        for i in 0..<band.outputRows {
            accumulator.update(repeating: E.identity, count: w)
            for ky in 0..<kH {
                let row = band.row(i * band.stride.h + ky)
                for r in runs[ky] {
                    if r.length == 1 {
                        combineRow(E.self, row + r.start, into: accumulator, count: w)
                    } else {
                        slidingExtremum(E.self, row + r.start, length: r.length, count: w, into: run, temp: slideTemp)
                        combineRow(E.self, run, into: accumulator, count: w)
                    }
                }
            }
            band.subsample(accumulator, into: output + i * band.outputWidth)
        }
    }

    /// Average pooling over every window of the band, PyTorch's way: a sum from 0 adding the taps in row-major order
    /// (the band holds zeros where the window is cut, ``AverageDivisor/leaveOut(_:)``, and adding a zero changes no
    /// sum), divided by the window's divisor. Vectorised across the outputs of a row, so each output's additions
    /// are exactly PyTorch's.
    func mean(_ divisor: AverageDivisor, _ band: MaskedBand, firstOutputRow: Int, into output: UnsafeMutablePointer<Float>) {
        let kH = element.rows, kW = element.columns, sW = band.stride.w, L = band.rowLength, width = band.outputWidth
        for i in 0..<band.outputRows {
            let top = band.row(i * band.stride.h), out = output + i * width
            var j = 0
            if sW == 1 {
                while j + 16 <= width {
                    var s = SIMD16<Float>(repeating: 0)
                    for ky in 0..<kH {
                        let row = top + ky * L + j
                        for kx in 0..<kW { s += UnsafeRawPointer(row + kx).loadUnaligned(as: SIMD16<Float>.self) }
                    }
                    UnsafeMutableRawPointer(out + j).storeBytes(of: s, as: SIMD16<Float>.self)
                    j += 16
                }
            } else if sW == 2 {
                // Outputs j..<j + 8 read row[2j + kx ..< 2j + kx + 16]: inside the row while 2j + kW + 15 ≤ L.
                while j + 8 <= width && 2 * j + kW + 15 <= L {
                    var s = SIMD8<Float>(repeating: 0)
                    for ky in 0..<kH {
                        let row = top + ky * L + 2 * j
                        for kx in 0..<kW { s += UnsafeRawPointer(row + kx).loadUnaligned(as: SIMD16<Float>.self).evenHalf }
                    }
                    UnsafeMutableRawPointer(out + j).storeBytes(of: s, as: SIMD8<Float>.self)
                    j += 8
                }
            }
            while j < width {
                var s: Float = 0
                for ky in 0..<kH {
                    let row = top + ky * L + j * sW
                    for kx in 0..<kW { s += row[kx] }
                }
                out[j] = s
                j += 1
            }
            divisor.divide(out, outputRow: firstOutputRow + i)
        }
    }

    /// PyTorch's max-pool scan over every window of the band, with the argmax: taps in row-major order, the running
    /// maximum starting at −∞ and replaced when `value > max` or `value` is NaN. The index starts as that of the first
    /// tap (−1 when it is a constant), or, when the outside is ignored (`ignoresOutside`: padded with −∞, which never
    /// wins), PyTorch's first in-bounds row and column of the window, y₀·W + x₀, stepping by the dilation from the top
    /// left (`dilation`: the element's tap spacing). A sample's index is y·W + x of the input sample it reads (``ConvolutionBands/columnSources``), −1 for a constant.
    func argmax(_ band: MaskedBand, bands: ConvolutionBands, dilation: Pair, ignoresOutside: Bool,
                into output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int64>) {
        let width = band.width
        let (dH, dW) = (dilation.h, dilation.w)
        bands.columnSources.withUnsafeBufferPointer { columnSources in
            for i in 0..<band.outputRows {
                let topRow = band.firstPaddedRow + i * band.stride.h
                let sourceRows = (0..<element.rows).map { sourceIndex(topRow + $0 - bands.padding.top, size: bands.height, mode: bands.mode) ?? -1 }
                let top = band.row(i * band.stride.h)
                for j in 0..<band.outputWidth {
                    let left = j * band.stride.w
                    var best = -Float.infinity, bestIndex: Int
                    if ignoresOutside {
                        var y0 = topRow - bands.padding.top, x0 = left - bands.padding.left
                        while y0 < 0 { y0 += dH }
                        while x0 < 0 { x0 += dW }
                        bestIndex = y0 * width + x0
                    } else {
                        // The first tap: the element's top-left sample (a pooling window's corner is always a tap).
                        let sy = sourceRows[0], sx = columnSources[left + runs[0][0].start]
                        bestIndex = sy < 0 || sx < 0 ? -1 : sy * width + sx
                    }
                    for ky in 0..<element.rows {
                        for run in runs[ky] {
                            for kx in run.start ..< run.start + run.length {
                                let value = top[ky * band.rowLength + left + kx]
                                if value > best || value.isNaN {
                                    best = value
                                    let sy = sourceRows[ky], sx = columnSources[left + kx]
                                    bestIndex = sy < 0 || sx < 0 ? -1 : sy * width + sx
                                }
                            }
                        }
                    }
                    output[i * band.outputWidth + j] = best
                    indices[i * band.outputWidth + j] = Int64(bestIndex)
                }
            }
        }
    }

    /// The rank-th smallest sample of every window of the band.
    func rank(_ rank: Int, _ band: MaskedBand, into output: UnsafeMutablePointer<Float>) {
        let n = taps.count, sW = band.stride.w
        precondition(network != nil, "large ranks run rankTiles")
        if let network {
            let wires = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: n)
            defer { wires.deallocate() }
            for i in 0..<band.outputRows {
                let top = i * band.stride.h
                let bases = taps.map { band.row(top + $0.ky) + $0.kx }
                var j = 0
                while j < band.outputWidth {
                    let lanes = min(8, band.outputWidth - j)
                    if lanes == 8 && sW == 1 {
                        for t in 0..<n { wires[t] = UnsafeRawPointer(bases[t] + j).loadUnaligned(as: SIMD8<Float>.self) }
                    } else {
                        for t in 0..<n {
                            var v = SIMD8<Float>(repeating: bases[t][j * sW])
                            for l in 1..<lanes { v[l] = bases[t][(j + l) * sW] }
                            wires[t] = v
                        }
                    }
                    let v = network.select(wires)
                    let out = output + i * band.outputWidth + j
                    if lanes == 8 { UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self) } else { for l in 0..<lanes { out[l] = v[l] } }
                    j += 8
                }
            }
        }
    }
}

/// Padded samples per tile of ``rankTiles``: its coding (about 20 bytes a sample) stays in a core's L2 (1 MiB here).
let rankTileSamples = 49_152

/// The rank filters above ``maskedPoolNetworkLimit`` taps: ``RankHistogram`` on tiles of padded rows × columns. A tile
/// codes its own samples, so it re-codes the kH − 1 rows and kW − 1 columns it shares with its neighbours: tiles take a
/// whole call's rows (a streaming strip) when they can, and as many columns as keep a tile's coding (about 20 bytes a
/// sample) in a core's L2; every (plane, band, tile) is one work item.
func rankTiles(_ rank: Int, _ window: RowWindow, plan: MaskedPoolPlan, geometry g: Pool2dGeometry, bands: ConvolutionBands,
               outputRows: Range<Int>, output out: TensorShape, tileSamples: Int) -> Tensor {
    let e = plan.element, s = g.stride
    let band = min(max(out.h, 1), max(32, (2 * e.rows + s.h - 1) / s.h))
    let bandsPerPlane = out.h == 0 ? 0 : (out.h + band - 1) / band
    let rows = bands.scratchRows(band: band)
    // Padded columns per tile: about `tileSamples`, at least twice the element's width.
    let targetWidth = max(2 * e.columns, tileSamples / rows)
    let widest = max(1, (targetWidth - e.columns) / s.w + 1)
    let tilesPerBand = (out.w + widest - 1) / widest
    let tileColumns = (out.w + tilesPerBand - 1) / tilesPerBand
    let tileLength = (tileColumns - 1) * s.w + e.columns
    let samples = rows * tileLength
    return window.withRowSources { inputRows in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount * bandsPerPlane * tilesPerBand, scratchCount: samples + RankHistogram.workFloats(samples: samples)) { item, scratch in
                let tile = item % tilesPerBand, bandItem = item / tilesPerBand
                let plane = bandItem / bandsPerPlane, first = outputRows.lowerBound + (bandItem % bandsPerPlane) * band
                let last = min(first + band, outputRows.upperBound)
                let j0 = tile * tileColumns, j1 = min(j0 + tileColumns, out.w)
                let columns = j0 * s.w ..< (j1 - 1) * s.w + e.columns
                let padded = bands.paddedRows(for: first..<last)
                for (k, r) in padded.enumerated() {
                    bands.fillRow(r, columns: columns, plane: plane, of: inputRows, into: scratch + k * columns.count)
                }
                let tileBand = MaskedBand(padded: scratch, rowLength: columns.count, rows: padded.count, firstPaddedRow: padded.lowerBound,
                                          outputRows: last - first, width: (j1 - j0 - 1) * s.w + 1, columns: (j1 - j0 - 1) * s.w + 1,
                                          outputWidth: j1 - j0, stride: s,
                                          work: scratch + padded.count * columns.count)
                // Each run as an offset from its window's top-left sample in the tile.
                let offsets = plan.runs.enumerated().flatMap { ky, row in row.map { (offset: ky * columns.count + $0.start, length: $0.length) } }
                let target = dst.value + plane * out.planeSize + (first - outputRows.lowerBound) * out.w + j0
                RankHistogram.select(rank, tileBand, runs: offsets, into: target, rowStride: out.w)
            }
        }
    }
}

/// Windows up to this long are reduced directly (k − 1 vector operations per sample); longer ones by van Herk/Gil-Werman.
let directExtremumLimit = 8

/// y[j] = x[j] ⊕ … ⊕ x[j + length − 1] for j < count (x holds count + length − 1 samples), vectorised along the row.
/// Direct up to ``directExtremumLimit`` (length − 1 operations per sample, in registers); beyond, by doubling: with
/// t_p[j] = x[j] ⊕ … ⊕ x[j + p − 1], t_2p[j] = t_p[j] ⊕ t_p[j + p], and for the largest power of two p ≤ length,
/// y[j] = t_p[j] ⊕ t_p[j + length − p] (the two windows overlap, which an extremum allows): ⌊log₂ length⌋ + 1
/// passes. `temp` holds count + length − 1 floats.
@inline(__always)
func slidingExtremum<E: Extremum>(_: E.Type, _ x: UnsafePointer<Float>, length: Int, count: Int, into y: UnsafeMutablePointer<Float>,
                                  temp: UnsafeMutablePointer<Float>) {
    if length == 1 { y.update(from: x, count: count); return }
    if length <= directExtremumLimit {
        directWindows(E.self, x, length: length, stride: 1, rowLength: count + length - 1, count: count, into: y)
        return
    }
    let n = count + length - 1
    // t_2 from x, then t_2p[j] = t_p[j] ⊕ t_p[j + p] in place (j + p is read before it is overwritten); t_p is valid for j ≤ n − p.
    combineRows(E.self, x, x + 1, into: temp, count: n - 1)
    var p = 2
    while 2 * p <= length {
        combineRows(E.self, temp, temp + p, into: temp, count: n - 2 * p + 1)
        p *= 2
    }
    combineRows(E.self, temp, temp + (length - p), into: y, count: count)
}

/// y[j] = x[j·s] ⊕ … ⊕ x[j·s + length − 1] for j < count, directly: length − 1 operations per output, in tap order:
/// sixteen outputs at once for s = 1 and eight (the even halves of 16-sample loads)
/// for s = 2. `x` holds `rowLength` ≥ (count − 1)·s + length samples.
@inline(__always)
func directWindows<E: Extremum>(_: E.Type, _ x: UnsafePointer<Float>, length: Int, stride s: Int, rowLength: Int, count: Int,
                                     into y: UnsafeMutablePointer<Float>) {
    var j = 0
    if s == 1 {
        while j + 16 <= count {
            var m = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            for k in 1..<length { m = E.combine(m, UnsafeRawPointer(x + j + k).loadUnaligned(as: SIMD16<Float>.self)) }
            UnsafeMutableRawPointer(y + j).storeBytes(of: m, as: SIMD16<Float>.self)
            j += 16
        }
    } else if s == 2 {
        // Outputs j..<j + 8 read x[2j + k ..< 2j + k + 16] for k < length: inside the row while 2j + length + 15 ≤ rowLength.
        while j + 8 <= count && 2 * j + length + 15 <= rowLength {
            var m = UnsafeRawPointer(x + 2 * j).loadUnaligned(as: SIMD16<Float>.self).evenHalf
            for k in 1..<length { m = E.combine(m, UnsafeRawPointer(x + 2 * j + k).loadUnaligned(as: SIMD16<Float>.self).evenHalf) }
            UnsafeMutableRawPointer(y + j).storeBytes(of: m, as: SIMD8<Float>.self)
            j += 8
        }
    }
    while j < count {
        let window = x + j * s
        var m = window[0]
        for k in 1..<length { m = E.combine(m, window[k]) }
        y[j] = m
        j += 1
    }
}
