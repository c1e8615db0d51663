#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileNames

/// The kinds of file a batch processes, told apart by their first bytes (never by their name).
public enum ImageKind: String, Sendable, Hashable, CaseIterable {
    /// Starts with `89 50 4E 47 0D 0A 1A 0A` (`\x89PNG\r\n\x1a\n`).
    case png
    /// Starts with `FF D8 FF`.
    case jpeg
    /// Starts with `93 4E 55 4D 50 59` (`\x93NUMPY`).
    case npy

    /// The magic bytes a file of this kind starts with.
    package var signature: [UInt8] {
        switch self {
        case .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        case .jpeg: [0xFF, 0xD8, 0xFF]
        case .npy: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        }
    }

    /// The longest signature: how many bytes `ImageKind.detect(atPath:)` reads.
    package static let headerLength = allCases.map(\.signature.count).max()!

    /// The kind whose signature `header` starts with, or nil.
    package static func detect(header: some Collection<UInt8>) -> ImageKind? {
        allCases.first { header.starts(with: $0.signature) }
    }

    /// The kind of the file at `path`, reading only its first `headerLength` bytes; nil when it is none of them.
    /// Throws when the file cannot be opened or read.
    package static func detect(atPath path: String) throws(BatchError) -> ImageKind? {
        let descriptor = FileNameBytes.withPath(path) { open($0, O_RDONLY) }
        guard descriptor >= 0 else { throw BatchError.cannotAccess(systemErrorMessage(errno)) }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: headerLength)
        var filled = 0
        while filled < headerLength {
            let count = header.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, headerLength - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw BatchError.cannotAccess(systemErrorMessage(errno))
            }
            if count == 0 { break }
            filled += count
        }
        return detect(header: header.prefix(filled))
    }
}

/// The C library's sentence for `code`, for example "No such file or directory".
func systemErrorMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}
