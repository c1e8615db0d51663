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
/// It is max pooling's window at stride 1 with a mask: the same geometry (``Pool2dGeometry``, the one output-size
/// formula and row rule) and the same padded row bands as convolution (bands of padded rows; a rectangle's max and min
/// read the input rows in place instead and pad only their vertical extrema across).
///
/// Algorithms, all exact for every Float32 input:
/// - max and min of a rectangle: two separable passes (a rectangle's extremum is the extremum of its columns'
///   extrema), vertical first: down the columns a direct scan for heights up to 8 and van Herk/Gil-Werman beyond
///   (blocks of kH padded rows aligned at absolute row numbers; each output is the extremum of a block suffix and
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
    let input = window.tensor
    let g = try p.geometry(input: window.fullShape)
    let outputRows = try g.validateRows(rows)
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let e = p.element
    let width = input.w
    let bands = ConvolutionBands(height: window.height, width: width, padding: e.centredPadding, mode: p.bandMode,
                                 kernel: Pair(h: e.rows, w: e.columns), stride: Pair(h: g.stride.h, w: 1), dilation: Pair(1),
                                 output: Pair(h: out.h, w: width), firstRow: window.top)
    let plan = MaskedPoolPlan(p)
    if case .rank(let rank) = p.reduction, plan.network == nil {
        return rankTiles(rank, window, plan: plan, geometry: g, bands: bands, outputRows: outputRows, output: out, tileSamples: rankTileSamples)
    }
    var bandRows = bands.bandHeight(channels: 1, otherItems: out.planeCount)
    if e.rows > directExtremumLimit, e.isRectangle, p.reduction == .max || p.reduction == .min {
        // van Herk's vertical pass costs three row operations per padded row of the band, so a band re-reads its
        // kH − 1 halo rows for every band: make bands up to twice the halo, as many as the cores need.
        let bandsPerPlane = max(1, (activeProcessorCount + out.planeCount - 1) / out.planeCount)
        bandRows = max(bandRows, min((out.h + bandsPerPlane - 1) / bandsPerPlane, 2 * e.rows))
    }
    let band = bandRows
    let bandsPerPlane = out.h == 0 ? 0 : (out.h + band - 1) / band
    let scratchRows = bands.scratchRows(band: band), rowLength = bands.rowLength
    let scratchCount = 4 * scratchRows * rowLength + 3 * rowLength + e.count + 16 + width
    // The horizontal padding of one row (a one-row plane), for the rectangles' vertical extrema.
    let across = ConvolutionBands(height: 1, width: width, padding: Padding(top: 0, bottom: 0, left: e.centredPadding.left, right: e.centredPadding.right),
                                  mode: p.bandMode, kernel: Pair(h: 1, w: e.columns), stride: Pair(1), dilation: Pair(1), output: Pair(h: 1, w: width))
    let inputPlane = input.h * input.w
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let src = UncheckedSendable(source.baseAddress ?? emptyPlane), dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount * bandsPerPlane, scratchCount: scratchCount) { item, scratch in
                let plane = item / bandsPerPlane, first = outputRows.lowerBound + (item % bandsPerPlane) * band
                let last = min(first + band, outputRows.upperBound)
                let padded = bands.paddedRows(for: first..<last)
                let output = dst.value + plane * out.planeSize + (first - outputRows.lowerBound) * out.w
                let band = MaskedBand(padded: scratch, rowLength: rowLength, rows: padded.count, firstPaddedRow: padded.lowerBound,
                                      outputRows: last - first, width: width, outputWidth: out.w, stride: g.stride,
                                      work: scratch + padded.count * rowLength)
                if plan.element.isRectangle, p.reduction == .max || p.reduction == .min {
                    // A rectangle's extremum reads the input rows in place (the padding rule picks the row, or a row of
                    // the constant), and pads only the vertical extrema across: max over rows commutes with the column rule.
                    let planeRows = src.value + plane * inputPlane, constantRow = band.work + 3 * band.rows * rowLength + 2 * rowLength
                    constantRow.update(repeating: bands.fill, count: width)
                    let rows = padded.map { r -> UnsafePointer<Float> in
                        guard let sy = sourceIndex(r - bands.padding.top, size: bands.height, mode: bands.mode) else { return UnsafePointer(constantRow) }
                        return planeRows + (sy - bands.firstRow) * width
                    }
                    if p.reduction == .max { plan.rectangleExtremum(Maximum.self, band, rows: rows, across: across, into: output) }
                    else { plan.rectangleExtremum(Minimum.self, band, rows: rows, across: across, into: output) }
                    return
                }
                bands.fillRows(padded, of: src.value + plane * inputPlane, into: scratch)
                switch p.reduction {
                case .max: plan.extremum(Maximum.self, band, into: output)
                case .min: plan.extremum(Minimum.self, band, into: output)
                case .rank(let r): plan.rank(r, band, into: output)
                }
            }
        }
    }
}

/// One band of a call: its padded input rows (stride-1 columns, `rowLength` = W + kW − 1 samples each) and where its
/// outputs go.
struct MaskedBand {
    let padded: UnsafeMutablePointer<Float>
    let rowLength: Int
    /// Padded rows held.
    let rows: Int
    /// The first held row's number among the full input's padded rows (van Herk's blocks align to it).
    let firstPaddedRow: Int
    let outputRows: Int
    /// Output columns at horizontal stride 1 (the input's width).
    let width: Int
    let outputWidth: Int
    let stride: Pair
    /// Free scratch after the padded rows: 3·rows·rowLength + 3·rowLength + taps + 16 floats.
    let work: UnsafeMutablePointer<Float>

    func row(_ r: Int) -> UnsafeMutablePointer<Float> { padded + r * rowLength }

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
    /// The taps (ky, kx) in row-major order.
    let taps: [(ky: Int, kx: Int)]
    let network: SelectionNetwork?

    init(_ p: MaskedPool2dParameters) {
        element = p.element
        runs = (0..<p.element.rows).map { p.element.runs(ofRow: $0) }
        taps = (0..<p.element.rows).flatMap { ky in (0..<p.element.columns).compactMap { kx in p.element.mask[ky * p.element.columns + kx] ? (ky, kx) : nil } }
        if case .rank(let r) = p.reduction, taps.count <= maskedPoolNetworkLimit {
            network = SelectionNetwork(wires: taps.count, selecting: r)
        } else {
            network = nil
        }
    }

    /// Max or min of a rectangle over every window of the band, separable: the vertical extremum of kH input rows for
    /// each output row (`rows`: the band's padded rows as input rows, W samples each), padded across by the column rule
    /// (`across`), then its horizontal extrema, so the horizontal pass runs on output rows only. Down the columns a
    /// direct scan up to ``directExtremumLimit`` rows, else van Herk/Gil-Werman: blocks of kH padded rows counted from
    /// padded row 0, suffix and prefix extrema within each, and y = suffix[top] ⊕ prefix[top + kH − 1].
    func rectangleExtremum<E: Extremum>(_ e: E.Type, _ band: MaskedBand, rows: [UnsafePointer<Float>], across: ConvolutionBands,
                                        into output: UnsafeMutablePointer<Float>) {
        let w = band.width, kH = element.rows, L = band.rowLength
        let vertical = band.work, temp = band.work + 3 * band.rows * L
        if kH <= directExtremumLimit {
            for i in 0..<band.outputRows {
                let top = i * band.stride.h, target = vertical + i * w
                if kH == 1 { target.update(from: rows[top], count: w) } else { combineRows(E.self, rows[top], rows[top + 1], into: target, count: w) }
                for ky in 2 ..< max(kH, 2) { combineRow(E.self, rows[top + ky], into: target, count: w) }
            }
        } else {
            let suffix = vertical + band.outputRows * w, prefix = suffix + band.rows * w
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
            across.fillRow(0, of: vertical + i * w, into: paddedRow)
            let target = band.stride.w == 1 ? output + i * band.outputWidth : full
            slidingExtremum(E.self, paddedRow, length: element.columns, count: w, into: target, temp: temp)
            if band.stride.w != 1 { band.subsample(full, into: output + i * band.outputWidth) }
        }
    }

    /// Max or min of every window of the band.
    func extremum<E: Extremum>(_ e: E.Type, _ band: MaskedBand, into output: UnsafeMutablePointer<Float>) {
        let w = band.width, kH = element.rows
        let temp = band.work + 3 * band.rows * band.rowLength
        precondition(!element.isRectangle, "rectangles run rectangleExtremum")
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
    let e = plan.element, input = window.tensor, s = g.stride
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
    let inputPlane = input.h * input.w
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let src = UncheckedSendable(source.baseAddress ?? emptyPlane), dst = UncheckedSendable(destination.baseAddress!)
            parallelFor(out.planeCount * bandsPerPlane * tilesPerBand, scratchCount: samples + RankHistogram.workFloats(samples: samples)) { item, scratch in
                let tile = item % tilesPerBand, bandItem = item / tilesPerBand
                let plane = bandItem / bandsPerPlane, first = outputRows.lowerBound + (bandItem % bandsPerPlane) * band
                let last = min(first + band, outputRows.upperBound)
                let j0 = tile * tileColumns, j1 = min(j0 + tileColumns, out.w)
                let columns = j0 * s.w ..< (j1 - 1) * s.w + e.columns
                let padded = bands.paddedRows(for: first..<last)
                for (k, r) in padded.enumerated() {
                    bands.fillRow(r, columns: columns, of: src.value + plane * inputPlane, into: scratch + k * columns.count)
                }
                let tileBand = MaskedBand(padded: scratch, rowLength: columns.count, rows: padded.count, firstPaddedRow: padded.lowerBound,
                                          outputRows: last - first, width: (j1 - j0 - 1) * s.w + 1, outputWidth: j1 - j0, stride: s,
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
        var j = 0
        while j + 16 <= count {
            var m = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            for k in 1..<length { m = E.combine(m, UnsafeRawPointer(x + j + k).loadUnaligned(as: SIMD16<Float>.self)) }
            UnsafeMutableRawPointer(y + j).storeBytes(of: m, as: SIMD16<Float>.self)
            j += 16
        }
        while j < count {
            var m = x[j]
            for k in 1..<length { m = E.combine(m, x[k + j]) }
            y[j] = m
            j += 1
        }
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
