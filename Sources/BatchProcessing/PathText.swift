import Foundation

/// Path arithmetic on strings with `/` separators, done lexically (without asking the file system).
enum PathText {
    /// `path` without trailing slashes (except the root itself).
    static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// `relative` appended to `base` with one `/` between them.
    static func join(_ base: String, _ relative: String) -> String {
        let base = trimmingTrailingSlashes(base)
        if relative.isEmpty { return base }
        return base == "/" ? "/" + relative : base + "/" + relative
    }

    /// The components of `path` after dropping empty ones and `.`, resolving `..` against earlier ones.
    /// Returns nil when a `..` would climb above the start of `path`.
    static func normalizedComponents(_ path: String) -> [String]? {
        var components: [String] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return nil }
                components.removeLast()
            default: components.append(String(component))
            }
        }
        return components
    }

    /// `path` as an absolute, normalized path: relative paths are taken from the current directory.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : join(FileManager.default.currentDirectoryPath, path)
        // `..` at the root stays at the root, as the kernel does.
        var components: [String] = []
        for component in full.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(String(component))
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// `path` relative to the folder `base` when it lies inside it, else nil. Both are made absolute first.
    static func relative(_ path: String, to base: String) -> String? {
        let path = absolute(path)
        let base = absolute(base)
        if base == "/" { return path == "/" ? nil : String(path.dropFirst()) }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }

    /// The last component of `path`.
    static func lastComponent(_ path: String) -> String {
        String(trimmingTrailingSlashes(path).split(separator: "/").last ?? "")
    }

    /// Every folder above `path`, nearest first: for `/a/b/c` that is `/a/b`, `/a`.
    static func ancestors(ofAbsolute path: String) -> [String] {
        var result: [String] = []
        var current = path
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            current = String(current[..<slash])
            result.append(current)
        }
        return result
    }

    /// `path` with its extension (after the last `.` of its last component) replaced by `newExtension`,
    /// or with `.newExtension` appended when it has none. A leading dot does not start an extension.
    static func replacingExtension(of path: String, with newExtension: String) -> String {
        let nameStart = path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex
        let name = path[nameStart...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return String(path[..<dot]) + "." + newExtension
        }
        return path + "." + newExtension
    }
}
