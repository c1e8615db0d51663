#if canImport(Glibc)
import Glibc
#endif

/// A test hook, and nothing else: makes writing an output fail at a chosen stage, so that tests can show
/// that a failure anywhere between the first encoded row and the final rename leaves no partial file and no
/// temporary file, and that a folder run goes on with its other files.
///
/// Library callers set ``EncodeOptions/fault``; the CLI (and so any test that runs the binary) takes it from
/// the environment variable `IMGCONV_FAULT`, read once, in ``fromEnvironment`` and nowhere else:
///
///     IMGCONV_FAULT=encode-row:N     the encoder fails when it reaches row N (0-based) of an output
///     IMGCONV_FAULT=encode-finish    the encoder fails when it ends the file, after every row
///     IMGCONV_FAULT=write-byte:N     writing the temporary file fails after N bytes (as on a full disk)
///     IMGCONV_FAULT=rename           renaming the temporary file into place fails
///
/// `…@NAME` limits the fault to outputs whose file name is NAME (e.g. `encode-row:5@b.png`). An unset or
/// unreadable value injects nothing.
package struct WriteFault: Sendable, Equatable, CustomStringConvertible {
    package enum Stage: Sendable, Equatable {
        case encodeRow(Int)
        case encodeFinish
        case writeByte(Int)
        case rename
    }

    package var stage: Stage
    /// Only outputs with this file name (last path component) fail; nil: every output.
    package var fileName: String?

    package init(_ stage: Stage, fileName: String? = nil) {
        self.stage = stage
        self.fileName = fileName
    }

    /// `encode-row:N`, `encode-finish`, `write-byte:N` or `rename`, optionally followed by `@NAME`; nil otherwise.
    package init?(parsing text: String) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let spec = parts[0].split(separator: ":", maxSplits: 1).map(String.init)
        let number = spec.count == 2 ? Int(spec[1]).flatMap { $0 >= 0 ? $0 : nil } : nil
        switch (spec.first, number) {
        case ("encode-row", let n?): stage = .encodeRow(n)
        case ("write-byte", let n?): stage = .writeByte(n)
        case ("encode-finish", nil) where spec.count == 1: stage = .encodeFinish
        case ("rename", nil) where spec.count == 1: stage = .rename
        default: return nil
        }
        fileName = parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil
    }

    /// `IMGCONV_FAULT`, parsed once (nil when unset or not understood).
    package static let fromEnvironment: WriteFault? = getenv("IMGCONV_FAULT").flatMap { WriteFault(parsing: String(cString: $0)) }

    /// This fault if it is meant for the output at `path`, else nil.
    func applying(to path: String) -> WriteFault? {
        guard let fileName else { return self }
        return path.split(separator: "/").last.map(String.init) == fileName ? self : nil
    }

    package var description: String {
        switch stage {
        case .encodeRow(let n): "encode-row:\(n)"
        case .encodeFinish: "encode-finish"
        case .writeByte(let n): "write-byte:\(n)"
        case .rename: "rename"
        }
    }

    /// The error a fault raises: one line naming the file, the stage and that it was injected.
    func error(path: String, _ what: String) -> ImageCodecError {
        ImageCodecError.cannotWrite(path: path, reason: "\(what): injected fault \(self) (IMGCONV_FAULT test hook)")
    }
}
