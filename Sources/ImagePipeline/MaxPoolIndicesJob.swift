import ImageCodecs
import TensorEngine

/// Max pooling of one file that also writes PyTorch's indices (`return_indices=True`) as an int64 `.npy`:
/// for every output element, the flat index y·W + x of its maximum within its input plane.
/// Both outputs are written atomically; every channel is plain data.
public struct MaxPoolIndicesJob: Sendable {
    /// Window pooling; nil with `adaptiveOutputSize` for adaptive pooling.
    public var parameters: MaxPool2dParameters?
    public var adaptiveOutputSize: Pair?
    public var decodeOptions: DecodeOptions
    public var encodeOptions: EncodeOptions

    public init(parameters: MaxPool2dParameters?, adaptiveOutputSize: Pair?, decodeOptions: DecodeOptions, encodeOptions: EncodeOptions) {
        self.parameters = parameters
        self.adaptiveOutputSize = adaptiveOutputSize
        self.decodeOptions = decodeOptions
        self.encodeOptions = encodeOptions
    }

    /// Returns decoder warnings and encoder notices, prefixed with their file.
    public func run(input: String, output: String, indicesOutput: String) throws -> [String] {
        try AtomicFile.ensureDistinct(output: output, input: input)
        try AtomicFile.ensureDistinct(output: indicesOutput, input: input)
        guard try ImageFormat.forOutputPath(indicesOutput) == .npy else {
            throw ImageCodecError(path: indicesOutput, reason: "indices are written as .npy; name the file *.npy")
        }
        let image = try ImageFile.read(input, options: decodeOptions)
        let result: (output: Tensor, indices: [Int64]?)
        do {
            if var p = parameters {
                p.returnIndices = true
                result = try maxPool2d(image.tensor, parameters: p)
            } else {
                result = try adaptiveMaxPool2d(image.tensor, outputSize: adaptiveOutputSize ?? Pair(1), returnIndices: true)
            }
        } catch {
            throw PipelineError("\(input): \(error)")
        }
        var metadata = image.metadata
        if decodeOptions.autoOrient { metadata.orientation = 1 }
        let notices = try ImageFile.write(result.output, to: output, source: metadata, options: encodeOptions)
        try AtomicFile.write(NumpyFile.encode(int64: result.indices ?? [], shape: result.output.shape), to: indicesOutput)
        return image.warnings.map { "\(input): warning: \($0)" } + notices.map { "\(output): \($0)" }
    }
}
