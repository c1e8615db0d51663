import Dispatch
import Foundation
import ImageCodecs
import ImageFilters
import Locking
import Synchronization
import TensorEngine
import FileNames

/// What one file's run reports besides its output: library warnings and the steps' notes.
public struct FileJobReport: Sendable {
    /// Decoder warnings and encoder notices, each already prefixed with the file it is about.
    public var warnings: [String]
    /// What `--verbose` prints: the plan (stages, barriers, strip height, largest buffer), each step's summary,
    /// clipped values.
    public var notes: [String]
    /// The written tensor's shape.
    public var outputShape: TensorShape
}

/// file → decode → pipeline → encode → file, for one input, in one demand-driven row model for every job.
///
/// Images are decoded to [0, 1] (auto-oriented unless told not to) and their last channel is alpha when they
/// have 2 or 4; `.npy` tensors and text grids are taken as they are, all channels plain.
///
/// How it runs: the decoder reads the file on its own thread; each step is a stage that computes the rows asked
/// of it from the rows its filter reads (``/ImageFilters/ImageFilter/inputRows(for:input:)``); the calling thread asks the last stage for
/// strips of ``stripRows`` output rows at absolute row numbers and converts them, and an encoder thread writes
/// them into the temporary file. Every row is computed the same way whatever the strip height and core count,
/// so the result is the whole-image result bit for bit, while memory stays a few strips per stage at any image
/// size. What must be held whole is a barrier (an EXIF turn, `normalize`, vertical circular padding), named by
/// `--verbose`. The output is renamed into place only after the decoder has read its file to the end
/// (``/ImageCodecs/DecoderEnd``), so a failure leaves no file, and the input is never overwritten.
public struct FileJob: Sendable {
    /// The steps run on every input.
    public var pipeline: Pipeline
    /// How inputs are decoded (orientation, truncated JPEGs, the pixel limit).
    public var decodeOptions: DecodeOptions
    /// How the output is encoded (quality, bit depth, metadata).
    public var encodeOptions: EncodeOptions
    /// Output rows per strip the writer asks for: 32 rows, 1.5 MB of Float planes of a 12-megapixel photo, a few
    /// times libjpeg's 16-row MCU row. Results never depend on it.
    public var stripRows: Int

    /// The job; `stripRows` below 1 is taken as 1. Nothing is checked until it runs.
    public init(pipeline: Pipeline, decodeOptions: DecodeOptions = .init(), encodeOptions: EncodeOptions = .init(), stripRows: Int = 32) {
        self.pipeline = pipeline
        self.decodeOptions = decodeOptions
        self.encodeOptions = encodeOptions
        self.stripRows = max(1, stripRows)
    }

    /// Runs the job from a file to a file.
    @discardableResult
    public func run(input: String, output: String) throws -> FileJobReport {
        try run(input: .file(input), output: .file(output))
    }

    /// The same from a file or standard input to a file or standard output. Standard input is read once
    /// to its end; standard output receives the encoded file only once everything succeeded.
    @discardableResult
    public func run(input source: ImageSource, output destination: ImageDestination) throws -> FileJobReport {
        if case .file(let inputPath) = source, case .file(let outputPath) = destination {
            try AtomicFile.ensureDistinct(output: outputPath, input: inputPath)
        }
        // The input first: `blur missing.jpg out` is about the missing input, not the output's name.
        if case .file(let inputPath) = source, FileNameBytes.withPath(inputPath, { access($0, R_OK) }) != 0 {
            throw ImageCodecError.system("cannot open", path: inputPath, errno: errno)
        }
        let outputFormat = try destination.format()
        let bytes = try ImageInput(source)
        let input = bytes.name

        let reader = try ImageReader(bytes, options: decodeOptions)
        var metadata = reader.metadata
        let isImage = !metadata.format.holdsRawValues
        let orientation = decodeOptions.autoOrient ? reader.orientation : 1
        let source = try DecoderSource(reader, rows: orientation == 1 ? .stored : orientation == 2 ? .mirrored : .turned,
                                       chunkRows: stripRows)
        if decodeOptions.autoOrient { metadata.orientation = 1 }

        do {
            return try run(from: source, input: input, metadata: metadata, isImage: isImage, to: destination, format: outputFormat)
        } catch {
            source.cancel()
            if error is ImageCodecError || error is PipelineError { throw error }
            throw PipelineError.failed(path: input, reason: "\(error)")
        }
    }

    /// The stages from `source` to the writer, and the loop that asks for the output strip by strip.
    private func run(from source: DecoderSource, input: String, metadata: ImageMetadata, isImage: Bool,
                     to destination: ImageDestination, format: ImageFormat) throws -> FileJobReport {
        let output = destination.name
        let outputShape: TensorShape
        do {
            outputShape = try pipeline.validate(inputShape: source.shape, lastChannelIsAlpha: isImage, maxPixels: decodeOptions.maxPixels)
        } catch let error as PipelineError {
            throw error.about(input)
        }
        let stages = try pipeline.stages(after: source, lastChannelIsAlpha: isImage, stripRows: stripRows)
        let last: any RowStage = stages.last ?? source
        var plan = RowPlanDescription()
        plan.stripRows = stripRows
        last.describe(into: &plan)

        let writer = try ImageWriter(destination: destination, shape: outputShape, source: metadata, options: encodeOptions)
        // `clamp` before a writer that clamps anyway changes no pixel: the writer counts instead.
        if let step = stages.last, step.valuePolicy == .clamp, !step.carriesAlpha, writer.clampsWhileConverting {
            step.leavesClampToWriter = true
        }
        // A plain conversion between 8-bit files passes the samples through: v/255 quantised back is v.
        let passThrough = pipeline.steps.isEmpty && source.makesSamples && source.sampleRowBytes == writer.sampleRowBytes
        source.start()
        let unaskedClamp = clampsUnasked(output: destination)
        let encoder = EncoderThread(writer, countsOutside: unaskedClamp)
        do {
            if passThrough {
                while let samples = try source.nextSamples() {
                    try encoder.send(samples)
                }
            } else {
                var row = 0
                while row < outputShape.h {
                    let strip = row ..< min(row + stripRows, outputShape.h)
                    try encoder.send(try last.rows(strip, keepingFrom: strip.lowerBound).tensor)
                    row = strip.upperBound
                }
                try Pipeline.completeRows(stages)
            }
            // Every row is with the encoder; it may commit only once the decoder has checked the rest of the file.
            let end = try source.finish()
            let finished = try encoder.finish(after: end)
            if let step = stages.last, step.leavesClampToWriter { step.addClippedByWriter(finished.clamped) }
            let clipping = Self.clippingWarning(output: output, clipped: finished.outside, of: outputShape.count)
            return FileJobReport(warnings: end.warnings.map { "\(input): warning: \($0)" } + finished.notices.map { "\(output): \($0)" } + [clipping].compactMap { $0 },
                                 notes: plan.lines + stages.flatMap(\.notes), outputShape: outputShape)
        } catch {
            encoder.abandon()
            throw encoder.failure ?? error
        }
    }
}

/// The writer on its own thread: the strips the calling thread computes are converted to the file's samples and
/// encoded here, while the calling thread computes the next strip.
final class EncoderThread {
    /// What the encoder did, once the file is committed.
    struct Finished {
        let notices: [String]
        /// Values the conversion clamped (``/ImageCodecs/ConvertedRows/clamped``, 0 where it does not count).
        let clamped: Int
        /// Values outside [0, 1] (NaN included), counted when asked at ``init(_:countsOutside:)``.
        let outside: Int
    }

    private let writer: UncheckedBox<ImageWriter>
    private let channel = BoundedChannel<Message>(capacity: 2)
    private let thread = DispatchGroup()
    private let state = Lock<(failure: (any Error)?, finished: Finished?)>((nil, nil))
    private var closed = false

    private enum Message: Sendable {
        case strip(Tensor)
        case samples(ConvertedRows)
        case finish(DecoderEnd)
        case abandon
    }

    /// With `countsOutside`, every strip's values outside [0, 1] are counted (``FileJob/clampsUnasked(output:)``).
    init(_ writer: ImageWriter, countsOutside: Bool) {
        self.writer = UncheckedBox(writer)
        let box = self.writer, channel = channel, state = state
        DispatchQueue(label: "imgconv.encode").async(group: thread) {
            var clamped = 0, outside = 0
            func append(_ rows: ConvertedRows) {
                guard state.withLock({ $0.failure == nil }) else { return }
                do { try box.value.append(rows) } catch { state.withLock { $0.failure = error } }
            }
            while true {
                switch channel.receive() {
                case .strip(let strip):
                    guard state.withLock({ $0.failure == nil }) else { continue }
                    let converted = box.value.convert(strip, rows: 0 ..< strip.h)
                    clamped += converted.clamped ?? 0
                    if countsOutside { outside += converted.clamped ?? FileJob.outsideUnitRange(strip) }
                    append(converted)
                case .samples(let rows):
                    append(rows)
                case .finish(let end):
                    // The commit point: the decoder's proof that it read the file to its end, after every row.
                    guard state.withLock({ $0.failure == nil }) else { return }
                    do {
                        let notices = try box.value.finish(after: end)
                        state.withLock { $0.finished = Finished(notices: notices, clamped: clamped, outside: outside) }
                    } catch {
                        state.withLock { $0.failure = error }
                    }
                    return
                case .abandon:
                    return
                }
            }
        }
    }

    /// The encoder's failure, if it failed.
    var failure: (any Error)? { state.withLock { $0.failure } }

    /// Hands a strip of output rows (all of `strip`'s rows) to the encoder; throws the encoder's failure, if it failed meanwhile.
    func send(_ strip: Tensor) throws {
        if let failure { throw failure }
        channel.send(.strip(strip))
    }

    /// Hands samples already in the file's layout (a plain conversion) to the encoder; throws as the other `send` does.
    func send(_ samples: ConvertedRows) throws {
        if let failure { throw failure }
        channel.send(.samples(samples))
    }

    /// Ends the file once every row was sent and commits it.
    func finish(after end: DecoderEnd) throws -> Finished {
        closed = true
        channel.send(.finish(end))
        thread.wait()
        let (failure, finished) = state.withLock { ($0.failure, $0.finished) }
        if let failure { throw failure }
        return finished ?? Finished(notices: [], clamped: 0, outside: 0)
    }

    /// Stops without committing (the writer then removes its temporary file).
    func abandon() {
        guard !closed else { return }
        closed = true
        channel.send(.abandon)
        thread.wait()
    }

    deinit { abandon() }
}
