#if canImport(Glibc)
import Glibc
#endif
import ImageCodecs
import ImageFilters
import TensorEngine
import FileNames

/// Max pooling of one file that also writes PyTorch's indices (`return_indices=True`) as an int64 `.npy`:
/// for every output element, the flat index y·W + x of its maximum within its input plane. Every channel is plain
/// data.
///
/// It runs on the row model as ``FileJob`` does: the ``DecoderSource`` decodes on its own thread, each 32-row output
/// strip is pooled from the input rows it reads (``/ImageFilters/PoolFilter/maxima(_:rows:)``, the indices absolute
/// within the plane), and both outputs are written by rows (``/ImageCodecs/ImageWriter``, ``/ImageCodecs/IndexWriter``)
/// into nameless temporary files. Nothing is named before the decoder has checked the file to its end; then the
/// image is committed and the indices after it, so on any failure before that neither name is changed by this run.
package struct MaxPoolIndicesJob: Sendable {
    /// Window pooling; nil with `adaptiveOutputSize` for adaptive pooling.
    package var parameters: MaxPool2dParameters?
    package var adaptiveOutputSize: Pair?
    package var decodeOptions: DecodeOptions
    package var encodeOptions: EncodeOptions
    /// Output rows per strip.
    package var stripRows = 32

    package init(parameters: MaxPool2dParameters?, adaptiveOutputSize: Pair?, decodeOptions: DecodeOptions, encodeOptions: EncodeOptions) {
        self.parameters = parameters
        self.adaptiveOutputSize = adaptiveOutputSize
        self.decodeOptions = decodeOptions
        self.encodeOptions = encodeOptions
    }

    /// Returns decoder warnings and encoder notices, prefixed with their file.
    package func run(input: String, output: String, indicesOutput: String) throws -> [String] {
        try AtomicFile.ensureDistinct(reads: [.init("input", input)],
                                      writes: [.init("output", output), .init("--indices file", indicesOutput)])
        guard try ImageFormat.forOutputPath(indicesOutput) == .npy else {
            throw ImageCodecError.invalidParameter(path: indicesOutput, reason: "indices are written as .npy; name the file *.npy")
        }
        _ = try ImageFormat.forOutputPath(output)
        if FileNameBytes.withPath(input, { access($0, R_OK) }) != 0 {
            throw ImageCodecError.system("cannot open", path: input, errno: errno)
        }
        let reader = try ImageReader(ImageInput(.file(input)), options: decodeOptions)
        var metadata = reader.metadata
        let orientation = decodeOptions.autoOrient ? reader.orientation : 1
        let source = try DecoderSource(reader, rows: orientation == 1 ? .stored : orientation == 2 ? .mirrored : .turned,
                                       chunkRows: stripRows)
        if decodeOptions.autoOrient { metadata.orientation = 1 }
        let filter = PoolFilter(parameters.map { .max($0) } ?? .adaptiveMax(outputSize: adaptiveOutputSize ?? Pair(1)))
        do {
            let shape: TensorShape
            do { shape = try filter.outputShape(for: source.shape) } catch {
                throw PipelineError.stepDoesNotApply(path: input, reason: "\(error)")
            }
            let writer = try ImageWriter(destination: .file(output), shape: shape, source: metadata, options: encodeOptions)
            let indices = try IndexWriter(path: indicesOutput, shape: shape)
            var row = 0
            while row < shape.h {
                let strip = row ..< min(row + stripRows, shape.h)
                let needed = try filter.inputRows(for: strip, input: source.shape)
                let result = try filter.maxima(try source.rows(needed, keepingFrom: needed.lowerBound), rows: strip)!
                try writer.append(result.output)
                try indices.append(result.indices!, rows: strip.count)
                row = strip.upperBound
            }
            let end = try source.finish()
            let notices = try writer.finish(after: end)
            try indices.finish()
            return end.warnings.map { "\(input): warning: \($0)" } + notices.map { "\(output): \($0)" }
        } catch {
            source.cancel()
            if error is ImageCodecError || error is PipelineError { throw error }
            throw PipelineError.failed(path: input, reason: "\(error)")
        }
    }
}
