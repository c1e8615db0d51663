#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FolderListing {
    /// The names in the folder at `path` (without `.` and `..`), sorted by their UTF-8 bytes.
    static func names(inFolder path: String) throws(BatchError) -> [String] {
        guard let folder = opendir(path) else { throw BatchError(systemErrorMessage(errno)) }
        defer { closedir(folder) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw BatchError(systemErrorMessage(errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
