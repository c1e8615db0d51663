/// Where an image is read from: a file, or standard input (written `-` on the command line).
public enum ImageSource: Sendable, Equatable {
    /// The file at this path.
    case file(String)
    /// Standard input, read to its end.
    case standardInput

    /// `-` is standard input; anything else a path (a file really named `-` is `./-`).
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .file(argument)
    }

    /// What errors and notices call it: the path, or "standard input".
    public var name: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "standard input"
        }
    }
}

/// An input, opened once: a regular file stays open and is read where needed (never whole),
/// standard input is read to its end once (a pipe can be read only once), so a job that first tries one way
/// of decoding (strips) and then another (the whole image) reads the same input twice from here.
public final class ImageInput: @unchecked Sendable {
    /// Where the bytes come from; bytes in memory appear as `.file(name)`.
    public let source: ImageSource
    let file: InputFile

    /// Opens the file (only a regular file, refused without blocking otherwise; at most 4 GiB + 64 KiB), or reads
    /// standard input to its end (bounded by the same). A terminal as standard input is refused: imgconv would
    /// wait for an image nobody types. Throws an ``ImageCodecError``: `notFound`, `cannotRead` (not a regular file,
    /// a terminal, permission, I/O), or `limitExceeded` with ``ImageCodecError/Limit/fileSize``.
    public init(_ source: ImageSource) throws {
        self.source = source
        switch source {
        case .file(let path): file = try InputFile(path: path)
        case .standardInput: file = InputFile(try FileBytes(descriptor: 0, name: source.name, refusingTerminal: true))
        }
    }

    /// Bytes already in memory; `name` only names them in errors.
    public init(bytes: [UInt8], name: String) {
        source = .file(name)
        file = InputFile(FileBytes(bytes))
    }

    /// The input's name in messages: ``ImageSource/name``.
    public var name: String { source.name }
}
