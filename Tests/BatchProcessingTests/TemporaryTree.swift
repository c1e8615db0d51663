import Foundation
@testable import BatchProcessing

/// A fresh folder under the system's temporary folder, removed when the value goes away.
final class TemporaryTree: Sendable {
    let root: String

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 4, 5, 6]
    static let npy: [UInt8] = Array("\u{93}NUMPY".unicodeScalars.map { UInt8($0.value) }) + [1, 0]
    static let text: [UInt8] = Array("just some notes\n".utf8)

    init() throws {
        root = NSTemporaryDirectory() + "batch-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `bytes` at `relative`, creating folders on the way.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let path = path(relative)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    func contents(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(relative)).map(Array.init)
    }

    /// Every file under `relative`, as sorted paths relative to it (hidden ones included), except the
    /// output records in `.imgconv-recipes` (see `records(under:)`).
    func files(under relative: String) -> [String] {
        allFiles(under: relative).filter { !$0.hasPrefix(OutputRecord.folderName + "/") }
    }

    /// The relative paths of the outputs that have a record under the output folder `relative`.
    func records(under relative: String) -> [String] {
        allFiles(under: relative + "/" + OutputRecord.folderName)
    }

    func allFiles(under relative: String) -> [String] {
        let base = path(relative)
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var result: [String] = []
        while let entry = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + entry, isDirectory: &isFolder), !isFolder.boolValue {
                result.append(entry)
            }
        }
        return result.sorted()
    }

    func setModified(_ relative: String, to date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(relative))
    }

    /// The photo tree most tests start from: `in/` with images at three depths, a non-image,
    /// a hidden file, a hidden folder and a corrupt image.
    static func photos() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", png)
        try tree.write("in/b.jpg", jpeg)
        try tree.write("in/notes.txt", text)
        try tree.write("in/.hidden.png", png)
        try tree.write("in/.cache/c.png", png)
        try tree.write("in/holiday/beach.png", png)
        try tree.write("in/holiday/2023/sunset.jpeg", jpeg)
        try tree.write("in/holiday/2023/corrupt-1.png", png)
        try tree.write("in/arrays/x.npy", npy)
        return tree
    }
}
