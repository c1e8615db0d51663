import Foundation

/// Why a file could not be read or written, by what a caller can do about it.
///
/// Every case names the file (`path`: a file name, `-` for standard input or output, or the name given to bytes
/// in memory) and carries `reason`, one plain sentence. ``description`` is `"path: reason"`, the line the
/// `imgconv` tool prints; the tool adds hints for its own options (`--allow-truncated`, `--max-pixels`), the
/// library never names a command-line flag.
public enum ImageCodecError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// No file or folder has that name (`ENOENT`), or the output's folder does not exist.
    case notFound(path: String, reason: String)
    /// The file exists but cannot be opened or read: permission, a folder or device given as a file, an I/O error.
    case cannotRead(path: String, reason: String)
    /// The bytes are no format this library reads (or the file is empty), or not the format its name says.
    case notAnImage(path: String, reason: String)
    /// The image data ends before the image does. Decoding with ``DecodeOptions/allowTruncated`` keeps what it holds.
    case truncated(path: String, reason: String)
    /// The data is damaged: the codec's own message (a bad marker, a bad CRC, a value that is not a number…).
    case corrupt(path: String, reason: String)
    /// The file asks for more than a limit allows: pixels beyond ``DecodeOptions/maxPixels``, more than a job may
    /// hold whole, a file larger than any image. `limit` says which.
    case limitExceeded(path: String, limit: Limit, reason: String)
    /// An encoding option or a tensor shape the output format cannot take (JPEG quality 0, five channels as PNG,
    /// an unknown extension), or two roles given the same file.
    case invalidParameter(path: String, reason: String)
    /// The output could not be created, written or put in place (disk full, permission, an injected test fault).
    case cannotWrite(path: String, reason: String)
    /// Memory for a codec's buffers could not be allocated.
    case outOfMemory(path: String)

    /// The limits of ``limitExceeded(path:limit:reason:)``.
    public enum Limit: Sendable, Equatable {
        /// ``DecodeOptions/maxPixels``: the image's width × height.
        case pixels
        /// The values a job must hold whole (a 90° EXIF turn, a barrier), at most ``/TensorEngine/TensorShape/maxCount``.
        case heldValues
        /// The bytes of a file, or the memory a progressive JPEG needs before its first row.
        case fileSize
    }

    /// The file the error is about.
    public var path: String {
        switch self {
        case .notFound(let path, _), .cannotRead(let path, _), .notAnImage(let path, _), .truncated(let path, _),
             .corrupt(let path, _), .limitExceeded(let path, _, _), .invalidParameter(let path, _),
             .cannotWrite(let path, _), .outOfMemory(let path):
            return path
        }
    }

    /// What went wrong, one sentence without the file name.
    public var reason: String {
        switch self {
        case .notFound(_, let reason), .cannotRead(_, let reason), .notAnImage(_, let reason), .truncated(_, let reason),
             .corrupt(_, let reason), .limitExceeded(_, _, let reason), .invalidParameter(_, let reason),
             .cannotWrite(_, let reason):
            return reason
        case .outOfMemory:
            return "out of memory"
        }
    }

    /// The same error about another file name (a temporary file's error reported under the final name).
    public func renamed(_ newPath: String) -> ImageCodecError {
        switch self {
        case .notFound(_, let r): return .notFound(path: newPath, reason: r)
        case .cannotRead(_, let r): return .cannotRead(path: newPath, reason: r)
        case .notAnImage(_, let r): return .notAnImage(path: newPath, reason: r)
        case .truncated(_, let r): return .truncated(path: newPath, reason: r)
        case .corrupt(_, let r): return .corrupt(path: newPath, reason: r)
        case .limitExceeded(_, let l, let r): return .limitExceeded(path: newPath, limit: l, reason: r)
        case .invalidParameter(_, let r): return .invalidParameter(path: newPath, reason: r)
        case .cannotWrite(_, let r): return .cannotWrite(path: newPath, reason: r)
        case .outOfMemory: return .outOfMemory(path: newPath)
        }
    }

    /// A failed `open`, `read` or `stat` of `path`, by `errno`: ``notFound(path:reason:)`` for `ENOENT`,
    /// ``cannotRead(path:reason:)`` otherwise; `action` is the verb (`cannot open`, `cannot read`).
    package static func system(_ action: String, path: String, errno code: Int32) -> ImageCodecError {
        let text = "\(action): \(String(cString: strerror(code)))"
        return code == ENOENT ? .notFound(path: path, reason: text) : .cannotRead(path: path, reason: text)
    }

    /// `"path: reason"`.
    public var description: String { "\(path): \(reason)" }

    /// `"path: reason"`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
