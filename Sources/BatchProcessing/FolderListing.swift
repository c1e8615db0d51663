#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileNames

enum FolderListing {
    /// The names in the folder at `path` (without `.` and `..`), sorted by their bytes, as lossless texts
    /// (``FileNameBytes/text(_:)``): a name that is not valid UTF-8 is carried by its bytes, not refused.
    static func names(inFolder path: String) throws(BatchError) -> [String] {
        guard let folder = FileNameBytes.withPath(path, { opendir($0) }) else { throw BatchError.cannotAccess(systemErrorMessage(errno)) }
        defer { closedir(folder) }
        var names: [(text: String, bytes: [UInt8])] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw BatchError.cannotAccess(systemErrorMessage(errno)) }
                break
            }
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes != [0x2E] && bytes != [0x2E, 0x2E] { names.append((FileNameBytes.text(bytes), bytes)) }
        }
        return names.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map(\.text)
    }
}
