/// Where an encoded file goes: a path (written atomically: into a temporary `.NAME.tmp-XXXXXX` beside it, then
/// renamed over it, so a failure never leaves a half-written file), or standard output (`-` on the command line),
/// in a format that must then be given since there is no extension to choose it.
public enum ImageDestination: Sendable, Equatable {
    /// The file at this path, in the format its extension names (``ImageFormat/forOutputPath(_:)``).
    case file(String)
    /// Standard output, in this format.
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
