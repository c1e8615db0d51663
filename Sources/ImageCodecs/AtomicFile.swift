#if canImport(Glibc)
import Glibc
#endif
import FileNames

/// Whole-file reads, and writes that never leave a half-written file behind.
package enum AtomicFile {
    /// Writes `bytes` to `path` atomically: into a temporary file `.NAME.tmp-XXXXXX` in the same
    /// folder, then rename(2) over `path` (``OutputFile``, the one writer of every output). On any failure the
    /// temporary file is removed and nothing at `path` changes. The file gets mode 0644. No fsync: atomic
    /// against crashes of this process, not against power loss. `fault` is a test hook (``WriteFault``):
    /// `write-byte:N` fails after N bytes, `rename` fails the rename, both cleaning up as a real failure does.
    package static func write(_ bytes: [UInt8], to path: String, fault: WriteFault? = nil) throws {
        let file = try OutputFile(.file(path), fault: fault)
        try bytes.withUnsafeBytes { try file.write($0) }
        try file.commit()
    }

    /// Deletes the temporary files of writes still in progress and returns their paths. For a signal
    /// handler that stops the process: afterwards no `.NAME.tmp-XXXXXX` file of this process remains.
    @discardableResult
    package static func removeTemporaryFilesInFlight() -> [String] {
        let paths = OutputFile.inFlight.withLock { set in
            defer { set.removeAll() }
            return set
        }
        return paths.sorted().filter { path in FileNameBytes.withPath(path) { unlink($0) } == 0 }
    }

    /// Throws when `output` names the same file as `input`: ``ensureDistinct(reads:writes:)`` with one of each.
    package static func ensureDistinct(output: String, input: String) throws {
        try ensureDistinct(reads: [PathUse("input", input)], writes: [PathUse("output", output)])
    }

    /// One path a command reads or writes, with the role it is named by in messages (`input`, `--weight`).
    package struct PathUse: Sendable, Hashable {
        package var role: String
        package var path: String
        package init(_ role: String, _ path: String) {
            self.role = role
            self.path = path
        }
    }

    /// The one rule for what a command may write: no path it writes (output, report, indices) names a file it
    /// reads (image, weight, bias, kernel file, file list), and no two written paths name the same file.
    /// Call it before anything is read or written, with every path of the command.
    ///
    /// Two paths name the same file when both exist and have the same device and inode (so links and other
    /// spellings count), or when either is missing and their folders are the same folder (device and inode)
    /// and their last components are equal; a path whose folder is missing is compared by its normalised
    /// absolute spelling. Throws `ImageCodecError` naming the written path:
    /// `output is the same file as the input IN; choose another name`.
    package static func ensureDistinct(reads: [PathUse], writes: [PathUse]) throws {
        let readKeys = reads.map { ($0, FileKey($0.path)) }
        var written: [(PathUse, FileKey)] = []
        for write in writes {
            let key = FileKey(write.path)
            if let (read, _) = readKeys.first(where: { $0.1 == key }) {
                throw ImageCodecError.invalidParameter(path: write.path, reason: "\(write.role) is the same file as the \(read.role) \(read.path); choose another name")
            }
            if let (other, _) = written.first(where: { $0.1 == key }) {
                throw ImageCodecError.invalidParameter(path: write.path, reason: "\(write.role) is the same file as the \(other.role) \(other.path); choose another name")
            }
            written.append((write, key))
        }
    }

    /// What identifies the file a path names, existing or not (see ``ensureDistinct(reads:writes:)``).
    private enum FileKey: Equatable {
        case file(dev_t, ino_t)
        case entry(dev_t, ino_t, String)
        case spelling(String)

        init(_ path: String) {
            var info = stat()
            if FileNameBytes.withPath(path, { stat($0, &info) }) == 0 {
                self = .file(info.st_dev, info.st_ino)
                return
            }
            let (folder, name) = AtomicFile.split(path)
            if FileNameBytes.withPath(folder, { stat($0, &info) }) == 0 {
                self = .entry(info.st_dev, info.st_ino, name)
            } else {
                self = .spelling(AtomicFile.normalised(path))
            }
        }

        static func == (a: Self, b: Self) -> Bool {
            switch (a, b) {
            case let (.file(d1, i1), .file(d2, i2)): d1 == d2 && i1 == i2
            case let (.entry(d1, i1, n1), .entry(d2, i2, n2)): d1 == d2 && i1 == i2 && n1 == n2
            case let (.spelling(p1), .spelling(p2)): p1 == p2
            default: false
            }
        }
    }

    /// `path` made absolute, without empty, `.` and `..` components (lexically).
    private static func normalised(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                full = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
            }
        }
        var components: [Substring] = []
        for component in full.split(separator: "/") {
            if component == "." { continue }
            if component == ".." { _ = components.popLast(); continue }
            components.append(component)
        }
        return "/" + components.joined(separator: "/")
    }

    /// The most bytes ``read(_:)`` takes: 4 GiB + 64 KiB, room for a `.npy` holding the largest tensor
    /// (``/TensorEngine/TensorShape/maxCount`` Float32 values) and its header.
    package static let maxReadBytes = (4 << 30) + (64 << 10)

    /// The whole file at `path`: the checked reader for every file a user names that is not decoded as an
    /// image (`.npy` weights and biases, kernel files). Refuses anything but a regular file without blocking
    /// (a FIFO, a device, a folder) and anything longer than ``maxReadBytes``; see `FileBytes`.
    package static func read(_ path: String) throws -> [UInt8] {
        let file = try FileBytes(reading: path)
        return withExtendedLifetime(file) { Array(file.bytes) }
    }

    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
