#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileNames

/// A small file read whole, opened by the bytes its lossless path stands for (``FileNameBytes``): output records
/// and the files a recipe fingerprints.
enum FileContents {
    /// At most `limit` bytes of the file at `path`; throws the system's reason when it cannot be opened or read.
    static func read(_ path: String, limit: Int) throws(BatchError) -> [UInt8] {
        let fd = FileNameBytes.withPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw BatchError.cannotAccess(systemErrorMessage(errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw BatchError.cannotAccess(systemErrorMessage(errno)) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
