#if canImport(Glibc)
import Glibc
#endif
import ImageCodecs
import TensorEngine
import FileNames

/// Max pooling of one file that also writes PyTorch's indices (`return_indices=True`) as an int64 `.npy`:
/// for every output element, the flat index y·W + x of its maximum within its input plane.
/// Every channel is plain data. The two outputs are committed together: the indices are staged in a hidden
/// temporary file beside their final name, the image is written (atomically), and only then are the indices
/// renamed into place; on any failure neither name is changed by this run.
package struct MaxPoolIndicesJob: Sendable {
    /// Window pooling; nil with `adaptiveOutputSize` for adaptive pooling.
    package var parameters: MaxPool2dParameters?
    package var adaptiveOutputSize: Pair?
    package var decodeOptions: DecodeOptions
    package var encodeOptions: EncodeOptions

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
            throw PipelineError.stepDoesNotApply(path: input, reason: "\(error)")
        }
        var metadata = image.metadata
        if decodeOptions.autoOrient { metadata.orientation = 1 }
        let staged = try StagedFile(final: indicesOutput,
                                    bytes: NumpyFile.encode(int64: result.indices ?? [], shape: result.output.shape))
        let notices: [String]
        do {
            notices = try ImageFile.write(result.output, to: output, source: metadata, options: encodeOptions)
        } catch {
            staged.discard()
            throw error
        }
        try staged.commit()
        return image.warnings.map { "\(input): warning: \($0)" } + notices.map { "\(output): \($0)" }
    }
}

/// Bytes written to a hidden `.NAME.tmp-…` file beside `final`, renamed to `final` by `commit()`.
private struct StagedFile {
    let final: String
    let staging: String

    init(final: String, bytes: [UInt8]) throws {
        let slash = final.lastIndex(of: "/")
        let folder = slash.map { String(final[...$0]) } ?? ""
        let name = slash.map { String(final[final.index(after: $0)...]) } ?? final
        self.final = final
        staging = "\(folder).\(name).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        do {
            try AtomicFile.write(bytes, to: staging)
        } catch let error as ImageCodecError {
            throw error.renamed(final)
        }
    }

    func commit() throws {
        guard FileNameBytes.withPath(staging, { from in FileNameBytes.withPath(final) { rename(from, $0) } }) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw ImageCodecError.cannotWrite(path: final, reason: "cannot replace the file: \(reason)")
        }
    }

    func discard() { FileNameBytes.withPath(staging) { _ = unlink($0) } }
}
