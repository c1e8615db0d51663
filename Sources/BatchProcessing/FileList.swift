import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FileNames

/// The `--files-from` list: one input path per line, or NUL-separated as `find -print0` writes it.
package enum FileList {
    /// The most bytes a list may have: 256 MiB (millions of paths). A longer list, such as an endless pipe
    /// (`yes a.jpg | imgconv … --files-from -`), is refused once this many bytes have arrived, so memory
    /// stays bounded.
    package static let maxBytes = 256 << 20

    /// The paths in `bytes`. When the list holds a NUL byte, entries are separated by NUL only (`find -print0`,
    /// `xargs -0`: names may then hold newlines); otherwise by `\n` or `\r\n`. Empty entries and lines of only
    /// spaces are ignored; nothing else is trimmed, so names may start or end with spaces.
    package static func paths(in bytes: some Collection<UInt8>) -> [String] {
        let separator = bytes.contains(0) ? UInt8(0) : UInt8(ascii: "\n")
        return bytes.split(separator: separator).compactMap { entry in
            let entry = separator != 0 && entry.last == UInt8(ascii: "\r") ? entry.dropLast() : entry
            let line = String(decoding: entry, as: UTF8.self)
            return line.allSatisfy(\.isWhitespace) ? nil : line
        }
    }

    /// The paths in `text` (see `paths(in:)` for bytes).
    package static func paths(in text: String) -> [String] {
        paths(in: Array(text.utf8))
    }

    /// Reads at most the given number of bytes of standard input (tests pass their own).
    package typealias StandardInput = (Int) throws(BatchError) -> [UInt8]

    /// The process's standard input, at most `limit` bytes.
    package static func readStandardInput(limit: Int) throws(BatchError) -> [UInt8] {
        try read(descriptor: 0, name: "standard input", limit: limit)
    }

    /// The paths listed in the file at `source`, or on standard input when `source` is `-`.
    /// Refuses a list longer than `maxBytes` after reading `maxBytes + 1` bytes of it.
    package static func paths(
        from source: String,
        standardInput: StandardInput = FileList.readStandardInput
    ) throws(BatchError) -> [String] {
        let bytes: [UInt8]
        if source == "-" {
            bytes = try standardInput(maxBytes + 1)
        } else {
            let fd = FileNameBytes.withPath(source) { open($0, O_RDONLY | O_CLOEXEC) }
            guard fd >= 0 else { throw BatchError.cannotAccess("Cannot read the file list \(source): \(systemErrorMessage(errno)).") }
            defer { close(fd) }
            bytes = try read(descriptor: fd, name: source, limit: maxBytes + 1)
        }
        guard bytes.count <= maxBytes else {
            let name = source == "-" ? "standard input" : source
            throw BatchError.invalidOptions("The file list \(name) is longer than \(maxBytes >> 20) MiB, more than imgconv reads as a list; split it.")
        }
        return paths(in: bytes)
    }

    /// At most `limit` bytes from `descriptor`, reading until the end or the limit.
    package static func read(descriptor: Int32, name: String, limit: Int) throws(BatchError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw BatchError.cannotAccess("Cannot read the file list \(name): \(systemErrorMessage(errno)).") }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
