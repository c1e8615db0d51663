/// Where an image is read from: a file, or standard input (written `-` on the command line).
public enum ImageSource: Sendable, Equatable {
    case file(String)
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

/// An input's whole contents, read once: standard input can only be read once, so a job that first tries
/// one way of decoding (strips) and then another (the whole image) reads the same bytes twice from here.
public final class ImageInput: @unchecked Sendable {
    public let source: ImageSource
    let file: FileBytes

    /// Reads the whole file, or standard input to its end (bounded by ``AtomicFile/maxReadBytes``).
    /// A terminal as standard input is refused: imgconv would wait for an image nobody types.
    public init(_ source: ImageSource) throws {
        self.source = source
        switch source {
        case .file(let path): file = try FileBytes(reading: path)
        case .standardInput: file = try FileBytes(descriptor: 0, name: source.name, refusingTerminal: true)
        }
    }

    /// Bytes already in memory; `name` only names them in errors.
    public init(bytes: [UInt8], name: String) {
        source = .file(name)
        file = FileBytes(bytes)
    }

    public var name: String { source.name }
}
