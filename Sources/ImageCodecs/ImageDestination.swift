#if canImport(Glibc)
import Glibc
#endif

/// Where an encoded file goes: a path (written atomically, ``AtomicFile``), or standard output (`-` on the
/// command line), in a format that must then be given since there is no extension to choose it.
public enum ImageDestination: Sendable, Equatable {
    case file(String)
    case standardOutput(ImageFormat)

    /// What errors and notices call it: the path, or "standard output".
    public var name: String {
        switch self {
        case .file(let path): return path
        case .standardOutput: return "standard output"
        }
    }

    /// The format to write: the path's extension (``ImageFormat/forOutputPath(_:)``), or the one given for standard output.
    public func format() throws -> ImageFormat {
        switch self {
        case .file(let path): return try ImageFormat.forOutputPath(path)
        case .standardOutput(let format): return format
        }
    }

    /// Writes a complete encoded file. A path gets it atomically; standard output gets it in one go, only
    /// once the encoder has succeeded, so a failed run writes nothing there (a shell's `> x.png` is then left
    /// empty, never holding half an image). `fault` is the test hook of ``AtomicFile/write(_:to:fault:)``.
    public func write(_ bytes: [UInt8], fault: WriteFault? = nil) throws {
        switch self {
        case .file(let path):
            try AtomicFile.write(bytes, to: path, fault: fault)
        case .standardOutput:
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(1, raw.baseAddress! + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        throw ImageCodecError(path: name, reason: "cannot write: \(String(cString: strerror(errno)))")
                    }
                    done += n
                }
            }
        }
    }
}

extension ImageFormat {
    /// The format named on the command line by `--format`: png, jpg/jpeg or npy (case-insensitive); nil otherwise.
    public init?(formatName: String) {
        switch formatName.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "npy": self = .npy
        default: return nil
        }
    }
}
