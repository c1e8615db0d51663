#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileNames

/// What `stat(2)` says about one path: the facts planning needs, nothing more.
struct FileStatus: Sendable, Hashable {
    enum Kind: Sendable, Equatable { case regularFile, directory, other }

    var kind: Kind
    var size: Int64
    /// Modification time as (seconds, nanoseconds) since the epoch.
    var modified: Timestamp
    /// Device and inode: equal for two paths that name the same file.
    var identity: Identity

    struct Timestamp: Sendable, Comparable, Hashable {
        var seconds: Int
        var nanoseconds: Int
        static func < (a: Self, b: Self) -> Bool {
            (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
        }
    }

    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// The status of `path`, following symbolic links; nil when it cannot be had.
    init?(path: String) {
        guard let status = try? FileStatus.of(path) else { return nil }
        self = status
    }

    /// The status of `path`, following symbolic links; throws the system's reason when it cannot be had.
    static func of(_ path: String) throws(BatchError) -> FileStatus {
        var info = stat()
        guard FileNameBytes.withPath(path, { stat($0, &info) }) == 0 else { throw BatchError.cannotAccess(systemErrorMessage(errno) + ".") }
        return FileStatus(info)
    }

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regularFile
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Timestamp(seconds: Int(info.st_mtimespec.tv_sec), nanoseconds: Int(info.st_mtimespec.tv_nsec))
        #else
        modified = Timestamp(seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
        #endif
        identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
