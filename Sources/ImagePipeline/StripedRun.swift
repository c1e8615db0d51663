import Dispatch
import ImageCodecs
import ImageFilters
import Locking
import Synchronization
import TensorEngine

/// How a file job runs in horizontal strips, overlapping decoding, filtering and encoding.
///
/// libpng and libjpeg decode and encode on one thread each. When the job is a conversion or one
/// row-local filter step (``RowReach``: blur, sharpen, edge, emboss, identity, `conv` with a height-keeping
/// padding, max and average pooling without vertical padding), the image is read by a decoder thread in
/// strips of ``rows`` rows, each strip is filtered on the calling thread, widened by the filter's reach
/// (the convolutions leave out the padding at its cut edges and give just the strip's rows, see
/// ``ImageFilter/onStrip(_:)``; other filters filter the widened strip and crop it back), so that every
/// output value equals the whole-image result bit for bit, and an encoder thread writes it. Only a few
/// strips are alive at once, so memory stays a small multiple of a strip, and the decoder and encoder run
/// while the filter works.
///
/// A plain conversion between 8-bit files (gray or RGB JPEG, 8-bit PNG, to an 8-bit PNG or a JPEG without
/// alpha) hands the decoded 8-bit samples straight to the encoder: v/255 quantised back is v, so the Float
/// round trip is skipped with the same result.
///
/// Not striped (run whole instead): `.npy` input or output, a JPEG or PNG whose EXIF orientation must be applied,
/// pipelines of several steps, steps that are not row-local (adaptive pooling, strided or circular-padded
/// convolution, dense `.npy` weights), the `normalize` value policy (global min–max),
/// and images shorter than two strips.
public struct StripPlan: Sendable, Equatable {
    /// The fewest rows per strip (the last strip takes the remainder).
    public var rows: Int
    /// For a filter that filters the margin rows of every strip again (its ``ImageFilter/onStrip(_:)`` is nil):
    /// strips are at least this many times the margin (`above + below`) tall, so that the margin costs at
    /// most about 1/`marginFactor` extra work.
    public var marginFactor: Int

    /// 32 rows: 1.5 MB of Float planes per strip of a 12-megapixel photo, a few times libjpeg's 16-row MCU
    /// rows. Every window alive is memory the kernel faults in and zeroes, so short strips save system time:
    /// for the 12-megapixel σ = 2 blur, 32-row strips with the margin filtered once beat the earlier 96-row
    /// strips that filtered it twice by some 12 % end to end (peak memory 68 → 45 MB).
    /// Margin factor 8 for filters that filter the margin again (pooling: a margin of kH − 1 rows).
    public init(rows: Int = 32, marginFactor: Int = 8) {
        self.rows = max(rows, 1)
        self.marginFactor = max(marginFactor, 1)
    }

    /// Rows per strip for a filter reaching `reach`: never less than the margin itself (so that a strip's
    /// neighbours hold its margin, and the margin rows the decoder copies from the previous window are at
    /// most one per new row), times `marginFactor` when the filter `filtersMargins` again in every strip;
    /// a multiple of the filter's stride.
    public func rows(for reach: RowReach, filtersMargins: Bool = true) -> Int {
        let margin = reach.above + reach.below
        let rows = max(rows, filtersMargins ? marginFactor * margin : margin, reach.above + 1, reach.below + 1)
        return (rows + reach.stride - 1) / reach.stride * reach.stride
    }
}

extension FileJob {
    /// The reach of the job's single step (or `.none` for a conversion), or nil when the job cannot be striped.
    func stripReach() -> RowReach? {
        guard pipeline.steps.count <= 1 else { return nil }
        guard let step = pipeline.steps.first else { return RowReach.none }
        if (step.options.valuePolicy ?? step.filter.defaultValuePolicy) == .normalize { return nil }
        return step.filter.rowReach
    }

    /// Runs the job in strips when it can (see ``StripPlan``); nil when it cannot, before anything is written.
    func runInStrips(input source: ImageInput, output destination: ImageDestination, plan: StripPlan) throws -> FileJobReport? {
        let input = source.name, output = destination.name
        guard let reach = stripReach(), !((try? destination.format())?.holdsRawValues ?? false) else { return nil }
        let reader = try ImageReader(source, options: decodeOptions)
        guard !reader.metadata.format.holdsRawValues else { return nil }
        if decodeOptions.autoOrient && reader.orientation != 1 { return nil }
        let shape = reader.shape
        // Filters that leave out the padding at a strip's cut edges filter every row once (see ImageFilter.onStrip).
        let filtersMargins = pipeline.steps.first.map { $0.filter.onStrip([]) == nil } ?? false
        let stripRows = plan.rows(for: reach, filtersMargins: filtersMargins)
        guard shape.h >= 2 * stripRows else { return nil }

        let outputShape: TensorShape
        do {
            outputShape = try pipeline.validate(inputShape: shape, lastChannelIsAlpha: true)
        } catch {
            throw PipelineError("\(input): \(error)")
        }
        var metadata = reader.metadata
        if decodeOptions.autoOrient { metadata.orientation = 1 }
        let writer = try ImageWriter(destination: destination, width: outputShape.w, height: outputShape.h, channels: outputShape.c,
                                     source: metadata, options: encodeOptions)

        // Strip k covers rows [k·stripRows, …); the last one takes the remainder.
        let stripCount = shape.h / stripRows, height = shape.h
        let range: @Sendable (Int) -> Range<Int> = { k in k * stripRows ..< (k == stripCount - 1 ? height : (k + 1) * stripRows) }

        let decoded = BoundedChannel<StripMessage>(capacity: 1)
        let encoded = BoundedChannel<StripMessage>(capacity: 2)
        let state = StripRunState()
        let done = DispatchGroup()
        let readerBox = UncheckedBox(reader), writerBox = UncheckedBox(writer)

        // Strip k's output rows [o0, o1) read input rows [o0·s − above, (o1 − 1)·s + below]: its window.
        let s = reach.stride, outputHeight = outputShape.h, above = reach.above, below = reach.below
        let window: @Sendable (Int) -> (input: Range<Int>, kept: Range<Int>) = { k in
            let own = range(k)
            let o0 = own.lowerBound / s, o1 = k == stripCount - 1 ? outputHeight : own.upperBound / s
            let top = max(o0 * s - above, 0), bottom = min((o1 - 1) * s + below + 1, height)
            return (top..<bottom, (o0 - top / s)..<(o1 - top / s))  // the window's output starts at output row top / s
        }
        // The decoder thread builds each window: the rows it shares with the previous window are copied
        // from there, the rest decoded straight into it.
        // A plain conversion between 8-bit files passes the samples through: v/255 quantised back is v.
        let passThrough = pipeline.steps.isEmpty && reader.sampleRowBytes != nil && reader.sampleRowBytes == writer.sampleRowBytes
        DispatchQueue(label: "imgconv.decode").async(group: done) {
            let reader = readerBox.value
            let planes = shape.c, width = shape.w
            do {
                var previous: (tensor: Tensor, rows: Range<Int>)?
                for k in 0..<stripCount {
                    if state.stop.load(ordering: .relaxed) { break }
                    if passThrough {
                        decoded.send(.rows(try reader.readSamples(rows: range(k).count)))
                        continue
                    }
                    let (rows, kept) = window(k)
                    precondition(rows.lowerBound <= reader.rowsRead && rows.upperBound >= reader.rowsRead, "windows overlap or touch")
                    let windowShape = TensorShape(n: 1, c: planes, h: rows.count, w: width)
                    let tensor = try Tensor(shape: windowShape) { out in
                        let base = out.baseAddress!, plane = windowShape.planeSize
                        if let previous, previous.rows.upperBound > rows.lowerBound {
                            let shared = rows.lowerBound..<previous.rows.upperBound
                            previous.tensor.withUnsafeBufferPointer { src in
                                for c in 0..<planes {
                                    (base + c * plane).update(from: src.baseAddress! + c * previous.tensor.shape.planeSize
                                                                  + (shared.lowerBound - previous.rows.lowerBound) * width,
                                                              count: shared.count * width)
                                }
                            }
                        }
                        let first = reader.rowsRead
                        try reader.read(rows: rows.upperBound - first, into: base + (first - rows.lowerBound) * width, planeStride: plane)
                    }
                    decoded.send(.strip(tensor, rows: kept))
                    previous = (tensor, rows)
                }
                if state.stop.load(ordering: .relaxed) {
                    decoded.send(.stopped)
                } else {
                    // Rows no output reads (pooling may drop the last few) are decoded all the same, so that
                    // the file is read to its end and checked as in a whole-image run.
                    while reader.rowsRead < height { _ = try reader.read(rows: 64) }
                    decoded.send(.end(try reader.finish()))
                }
            } catch {
                decoded.send(.failed(error))
            }
        }
        DispatchQueue(label: "imgconv.encode").async(group: done) {
            var failure: (any Error)?
            while true {
                switch encoded.receive() {
                case .rows(let rows):
                    if failure == nil {
                        do { try writerBox.value.append(rows) } catch { failure = error; state.stop.store(true, ordering: .relaxed) }
                    }
                    continue
                case .failed(let error):
                    failure = failure ?? error
                case .end(let decoderEnd):
                    // The commit point: the decoder's proof that it read the file to its end, forwarded by the
                    // filter loop only after every strip. Nothing is renamed into place without it.
                    guard failure == nil else { break }
                    do {
                        let notices = try writerBox.value.finish(after: decoderEnd)
                        state.encoderResult.withLock { $0 = .success((notices, decoderEnd.warnings)) }
                    } catch {
                        failure = error
                    }
                case .stopped, .strip:
                    failure = failure ?? PipelineError("\(input): stopped before the end of the file")
                }
                break
            }
            if let failure { state.encoderResult.withLock { $0 = .failure(failure) } }
        }

        // Filtering on this thread, window by window.
        var notes: [String] = []
        var clipped = 0, colourCount = 0
        let unaskedClamp = clampsUnasked(output: destination)
        var unaskedClipped = 0
        var valuePolicy: ValuePolicy?
        var failure: (any Error)?
        var decoderEnded = false  // its last message (.end or .failed) has been received
        do {
            strips: for k in 0..<stripCount {
                let strip: Tensor
                var kept: Range<Int>
                switch decoded.receive() {
                case .strip(let tensor, let rows): (strip, kept) = (tensor, rows)
                case .rows(let samples):  // passed through
                    encoded.send(.rows(samples))
                    continue
                case .failed(let error): decoderEnded = true; throw error
                case .stopped: decoderEnded = true; break strips  // the encoder failed and stopped it: the encoder says why
                case .end: decoderEnded = true; throw PipelineError("\(input): the decoder ended early")
                }
                let out: Tensor
                var clampWhileConverting = false
                if let step = pipeline.steps.first {
                    // A filter that can leaves out the padding rows at the window's cut edges and gives just the
                    // strip's own rows; otherwise the rows outside `kept` only fed the filter: no value policy,
                    // not counted, not written.
                    var edges: StripEdges = []
                    if k > 0 { edges.insert(.above) }
                    if k < stripCount - 1 { edges.insert(.below) }
                    var staged: StagedFilterOutput
                    if let stripFilter = step.filter.onStrip(edges) {
                        staged = try FilterRunner.stage(stripFilter, on: strip, options: step.options)
                        precondition(staged.colour.h == kept.count, "a strip filter gave \(staged.colour.h) rows for \(kept.count)")
                        kept = 0..<kept.count
                    } else {
                        staged = try FilterRunner.stage(step.filter, on: strip, options: step.options)
                    }
                    // `clamp` before a writer that clamps anyway changes no pixel: the writer counts instead.
                    clampWhileConverting = staged.valuePolicy == .clamp && staged.alpha == nil && writer.clampsWhileConverting
                    if !clampWhileConverting { clipped += staged.applyValuePolicy(rows: kept) }
                    colourCount += staged.colour.c * kept.count * staged.colour.w
                    if k == 0 { notes = staged.notes }
                    valuePolicy = staged.valuePolicy
                    out = staged.tensor
                } else {
                    out = strip
                }
                // Converted here, so that the encoder thread only runs the library.
                let converted = writer.convert(out, rows: kept)
                if clampWhileConverting { clipped += converted.clamped ?? 0 }
                if unaskedClamp { unaskedClipped += converted.clamped ?? Self.outsideUnitRange(out, rows: kept) }
                if k == stripCount - 1, let policy = valuePolicy {
                    notes.append(FilterRunner.valuesNote(policy, clipped: clipped, of: colourCount))
                }
                encoded.send(.rows(converted))
                if state.stop.load(ordering: .relaxed) { break }
            }
            if state.stop.load(ordering: .relaxed) {
                encoded.send(.stopped)  // the encoder failed: it reports its own error
            } else {
                // Every row is with the encoder; it may commit only once the decoder has checked the rest of
                // the file, so its end (or its failure) is what the encoder gets next.
                switch decoded.receive() {
                case .end(let decoderEnd): decoderEnded = true; encoded.send(.end(decoderEnd))
                case .failed(let error): decoderEnded = true; throw error
                case .stopped: decoderEnded = true; encoded.send(.stopped)  // the encoder failed meanwhile and says why
                case .strip, .rows: throw PipelineError("\(input): the decoder gave more rows than the image has")
                }
            }
        } catch {
            failure = error
            state.stop.store(true, ordering: .relaxed)
            encoded.send(.failed(error))
        }
        // Let the decoder finish (it stops at the next strip once told to); its last message is .end,
        // or .failed when reading or finish() failed.
        while !decoderEnded {
            switch decoded.receive() {
            case .strip, .rows: continue
            case .end, .stopped: decoderEnded = true
            case .failed(let error): decoderEnded = true; failure = failure ?? error
            }
        }
        done.wait()
        if let failure {
            if failure is ImageCodecError || failure is PipelineError { throw failure }
            throw PipelineError("\(input): \(failure)")
        }
        let (notices, decoderWarnings) = try state.encoderResult.withLock { try $0.get() }
        let clipping = Self.clippingWarning(output: output, clipped: unaskedClipped, of: outputShape.count)
        return FileJobReport(warnings: decoderWarnings.map { "\(input): warning: \($0)" } + notices.map { "\(output): \($0)" } + [clipping].compactMap { $0 },
                             notes: notes, outputShape: outputShape)
    }
}

/// What travels between the decoder, filter and encoder threads.
enum StripMessage: Sendable {
    /// Rows `rows` of the tensor are the strip (the others are a filter's margin).
    case strip(Tensor, rows: Range<Int>)
    /// Rows converted for the encoder.
    case rows(ConvertedRows)
    case failed(any Error)
    /// The decoder read the file to its end and found it whole: the only message that lets the encoder commit.
    case end(DecoderEnd)
    /// A thread stopped early because another failed (that one reports the error).
    case stopped
}

/// What the three threads of a striped run share.
final class StripRunState: Sendable {
    /// Set when a thread failed: the decoder stops at its next strip, the filter loop at its next.
    let stop = Atomic<Bool>(false)
    /// The encoder's notices and the decoder's warnings once the output is committed, or the failure.
    let encoderResult = Lock<Result<(notices: [String], decoderWarnings: [String]), any Error>>(.failure(PipelineError("the encoder did not run")))
}

/// A reader or writer used by exactly one thread at a time (handed over once, through the queue that starts it).
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
