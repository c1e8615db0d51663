#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--include` and `--exclude` patterns, matched with `fnmatch(3)` (flags 0: case-sensitive, and `*`
/// also matches `/`).
///
/// A pattern matches an input when it matches **either** its path relative to the input folder
/// (`holiday/2023/beach.png`) **or** its file name (`beach.png`). So `*.png` selects PNG names at any
/// depth, and `holiday/*` selects everything under `holiday`.
///
/// - An input is kept when it matches at least one include pattern (or there are none)
///   and no exclude pattern.
/// - Exclude patterns are also tried on folders while scanning, the same two ways: a folder that
///   matches is not entered, so `--exclude raw` leaves out every folder named `raw`.
/// - Include patterns are only tried on files: every folder is entered.
package struct GlobFilter: Sendable, Hashable {
    package var include: [String]
    package var exclude: [String]

    package init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Whether a file at `relativePath` is selected.
    package func selectsFile(relativePath: String) -> Bool {
        let name = PathText.lastComponent(relativePath)
        if !include.isEmpty && !include.contains(where: { Self.matches($0, relativePath, name) }) { return false }
        return !exclude.contains { Self.matches($0, relativePath, name) }
    }

    /// Whether the scan enters the folder at `relativePath`.
    package func entersFolder(relativePath: String) -> Bool {
        let name = PathText.lastComponent(relativePath)
        return !exclude.contains { Self.matches($0, relativePath, name) }
    }

    private static func matches(_ pattern: String, _ relativePath: String, _ name: String) -> Bool {
        fnmatch(pattern, relativePath, 0) == 0 || fnmatch(pattern, name, 0) == 0
    }

    /// Whether any component of `relativePath` starts with `.`: such files and folders are skipped.
    package static func isHidden(relativePath: String) -> Bool {
        relativePath.split(separator: "/").contains { $0.hasPrefix(".") && $0 != "." && $0 != ".." }
    }
}
