import Foundation
import ImageCodecs
import ImageFilters
import TensorEngine

/// What one file's run reports besides its output: library warnings and the steps' notes.
public struct FileJobReport: Sendable {
    /// Decoder warnings and encoder notices, each already prefixed with the file it is about.
    public var warnings: [String]
    /// What `--verbose` prints: each step's summary, the path it took, clipped values.
    public var notes: [String]
    /// The written tensor's shape.
    public var outputShape: TensorShape
}

/// file → decode → pipeline → encode → file, for one input.
///
/// Images are decoded to [0, 1] (auto-oriented unless told not to) and their last channel is alpha when they
/// have 2 or 4; `.npy` tensors and text grids are taken as they are, all channels plain. The output is written to a temporary
/// file beside it and renamed, so a failure leaves no partial file and the input is never overwritten.
public struct FileJob: Sendable {
    public var pipeline: Pipeline
    public var decodeOptions: DecodeOptions
    public var encodeOptions: EncodeOptions

    /// How the job is split into strips when it can be (``StripPlan``); nil always runs on the whole image.
    public var strips: StripPlan?

    public init(pipeline: Pipeline, decodeOptions: DecodeOptions = .init(), encodeOptions: EncodeOptions = .init(),
                strips: StripPlan? = StripPlan()) {
        self.pipeline = pipeline
        self.decodeOptions = decodeOptions
        self.encodeOptions = encodeOptions
        self.strips = strips
    }

    /// Runs the job: in strips when ``strips`` allows and the job is stripable (same output, less memory,
    /// decoding and encoding overlapped with filtering), else on the whole image.
    @discardableResult
    public func run(input: String, output: String) throws -> FileJobReport {
        try run(input: .file(input), output: .file(output))
    }

    /// The same from a file or standard input to a file or standard output. Standard input is read once
    /// to its end; standard output receives the encoded file only once everything succeeded.
    @discardableResult
    public func run(input source: ImageSource, output destination: ImageDestination) throws -> FileJobReport {
        _ = MemoryReuse.enabled  // see MemoryReuse: reuse freed buffers instead of re-faulting pages
        let input = source.name, output = destination.name
        if case .file(let inputPath) = source, case .file(let outputPath) = destination {
            try AtomicFile.ensureDistinct(output: outputPath, input: inputPath)
        }
        // The input first: `blur missing.jpg out` is about the missing input, not the output's name.
        if case .file(let inputPath) = source, access(inputPath, R_OK) != 0 {
            throw ImageCodecError(path: inputPath, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        _ = try destination.format()
        let bytes = try ImageInput(source)
        if let strips, let report = try runInStrips(input: bytes, output: destination, plan: strips) { return report }
        let image = try ImageFile.read(bytes, options: decodeOptions)
        let isImage = !image.metadata.format.holdsRawValues
        let outcome: FilterOutcome
        do {
            outcome = try pipeline.run(on: image.tensor, lastChannelIsAlpha: isImage, maxPixels: decodeOptions.maxPixels)
        } catch let error as ImageCodecError {
            throw error
        } catch {
            throw PipelineError("\(input): \(error)")
        }
        var metadata = image.metadata
        if decodeOptions.autoOrient { metadata.orientation = 1 }
        let notices = try ImageFile.write(outcome.tensor, to: destination, source: metadata, options: encodeOptions)
        let clipping = clampsUnasked(output: destination)
            ? Self.clippingWarning(output: output, clipped: Self.outsideUnitRange(outcome.tensor), of: outcome.tensor.shape.count) : nil
        return FileJobReport(warnings: image.warnings.map { "\(input): warning: \($0)" } + notices.map { "\(output): \($0)" } + [clipping].compactMap { $0 },
                             notes: outcome.notes, outputShape: outcome.tensor.shape)
    }
}
