#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FolderListing {
    /// The names in the folder at `path` (without `.` and `..`), sorted by their UTF-8 bytes, and apart, the
    /// names that are not valid UTF-8, escaped (see `FileNameBytes`), which cannot be opened through a `String`.
    static func names(inFolder path: String) throws(BatchError) -> (names: [String], notUTF8: [String]) {
        guard let folder = opendir(path) else { throw BatchError(systemErrorMessage(errno)) }
        defer { closedir(folder) }
        var names: [String] = []
        var notUTF8: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { throw BatchError(systemErrorMessage(errno)) }
                break
            }
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard let name = FileNameBytes.validText(bytes) else {
                notUTF8.append(FileNameBytes.escaped(bytes))
                continue
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return (names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, notUTF8.sorted())
    }
}
