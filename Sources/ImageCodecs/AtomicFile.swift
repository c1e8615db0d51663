#if canImport(Glibc)
import Glibc
#endif
import Locking

/// Whole-file reads, and writes that never leave a half-written file behind.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically: into a temporary file `.NAME.tmp-XXXXXX` in the same
    /// folder, then rename(2) over `path`. On any failure the temporary file is removed and nothing
    /// at `path` changes. The file gets mode 0644. No fsync: atomic against crashes of this process,
    /// not against power loss.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let (folder, name) = split(path)
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ImageCodecError(path: path, reason: "the output folder \(folder) does not exist")
        }
        var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ImageCodecError(path: path, reason: "cannot create a file in \(folder): \(errorText())") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = inFlight.withLock { $0.insert(temporary) }
        defer { _ = inFlight.withLock { $0.remove(temporary) } }
        do {
            try bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw ImageCodecError(path: path, reason: "cannot write: \(errorText())") }
                    done += n
                }
            }
            fchmod(fd, 0o644)
            guard close(fd) == 0 else { throw ImageCodecError(path: path, reason: "cannot write: \(errorText())") }
            guard rename(temporary, path) == 0 else { throw ImageCodecError(path: path, reason: "cannot replace the file: \(errorText())") }
        } catch {
            close(fd)  // harmless if already closed
            unlink(temporary)
            throw error
        }
    }

    /// Temporary files being written right now (between mkstemp and rename).
    private static let inFlight = Lock<Set<String>>([])

    /// Deletes the temporary files of writes still in progress and returns their paths. For a signal
    /// handler that stops the process: afterwards no `.NAME.tmp-XXXXXX` file of this process remains.
    @discardableResult
    public static func removeTemporaryFilesInFlight() -> [String] {
        let paths = inFlight.withLock { set in
            defer { set.removeAll() }
            return set
        }
        return paths.sorted().filter { unlink($0) == 0 }
    }

    /// Throws when `output` names the same file as `input` (same device and inode, e.g. through a link
    /// or another spelling of the path). A missing `output` is distinct. Call it before decoding, so
    /// a conversion never overwrites its own source.
    public static func ensureDistinct(output: String, input: String) throws {
        var a = stat(), b = stat()
        guard stat(output, &a) == 0, stat(input, &b) == 0 else { return }
        if a.st_dev == b.st_dev && a.st_ino == b.st_ino {
            throw ImageCodecError(path: output, reason: "output is the same file as the input \(input); choose another name")
        }
    }

    /// The most bytes ``read(_:)`` takes: 4 GiB + 64 KiB, room for a `.npy` holding the largest tensor
    /// (``TensorShape/maxCount`` Float32 values) and its header.
    public static let maxReadBytes = (4 << 30) + (64 << 10)

    /// The whole file at `path`. Refuses folders, devices (`/dev/zero` would never end) and anything longer
    /// than ``maxReadBytes``, such as an endless pipe, instead of growing without bound.
    public static func read(_ path: String) throws -> [UInt8] {
        let file = try FileBytes(reading: path)
        return withExtendedLifetime(file) { Array(file.bytes) }
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
