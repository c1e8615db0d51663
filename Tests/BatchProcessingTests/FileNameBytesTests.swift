import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Locking
import Testing
@testable import BatchProcessing
import FileNames

/// Names that are not UTF-8 are carried by their bytes (issue 12, item 16): the lossless text is one-to-one with
/// the bytes, and a folder run lists, plans, writes and records such a name under the bytes it has.
@Suite struct FileNameBytesTests {
    /// Byte strings a hostile folder may hold: every single byte, truncated and overlong sequences, surrogates,
    /// the escape scalars' own UTF-8, mixed with ASCII; plus seeded random ones.
    static var hostileNames: [[UInt8]] {
        var names: [[UInt8]] = (0...255).map { [UInt8(ascii: "a"), UInt8($0), UInt8(ascii: "z")] }
        names += [[0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                  Array("\u{F780}\u{F7E9}\u{F7FF}".utf8), Array("lat".utf8) + [0xE9] + Array(".jpg".utf8), Array("é.jpg".utf8),
                  Array("\u{F77F}\u{F800}".utf8), [0xEF, 0x9E], [0xEF, 0x9E, 0x80, 0x80]]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            let count = Int(state % 12) + 1
            names.append((0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            })
        }
        return names
    }

    @Test func theTextIsLosslessAndOneToOne_item16() {
        var seen: [String: [UInt8]] = [:]
        for bytes in Self.hostileNames {
            let text = FileNameBytes.text(bytes)
            #expect(FileNameBytes.bytes(text) == bytes, "\(bytes) does not come back")
            if let other = seen[text] { #expect(other == bytes, "\(bytes) and \(other) share a text") }
            seen[text] = bytes
            // Valid UTF-8 outside the escape range is its own text; everything else holds raw bytes.
            let valid = String(validating: bytes, as: UTF8.self)
            let plain = valid.map { !$0.unicodeScalars.contains { (0xF780...0xF7FF).contains($0.value) } } ?? false
            #expect((text == valid) == plain && FileNameBytes.holdsRawBytes(text) == !plain)
            // Messages show the bytes: nothing but \xNN for the raw ones, one line.
            let shown = OneLine.escaped(text)
            #expect(!shown.unicodeScalars.contains { (0xF780...0xF7FF).contains($0.value) || $0.properties.generalCategory == .control })
        }
        #expect(OneLine.escaped(FileNameBytes.text(Array("lat".utf8) + [0xE9] + Array(".jpg".utf8))) == "lat\\xE9.jpg")
        // Joining keeps the bytes: a folder run's output path is OUT + "/" + the relative path.
        let name = FileNameBytes.text(Array("lat".utf8) + [0xE9])
        #expect(FileNameBytes.bytes("out/" + name + ".png") == Array("out/lat".utf8) + [0xE9] + Array(".png".utf8))
    }

    /// Creates a file by its raw bytes.
    static func create(_ bytes: [UInt8], contents: [UInt8]) throws {
        let fd = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        try #require(fd >= 0)
        _ = contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Reads a file by its raw bytes; nil when it does not exist.
    static func read(_ bytes: [UInt8]) -> [UInt8]? {
        let fd = (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: 1 << 16)
        let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return Array(out.prefix(max(0, n)))
    }

    @Test func aFolderRunCarriesTheNamesBytes_item16() throws {
        let tree = try TemporaryTree()
        try tree.write("in/plain.png", TemporaryTree.png)
        try tree.write("in/sub/keep.txt", [1, 2, 3])
        let latin1 = Array(tree.path("in/lat").utf8) + [0xE9] + Array(".png".utf8)
        let subfolder = Array(tree.path("in/d").utf8) + [0xFF]
        #expect(mkdir((subfolder.map { CChar(bitPattern: $0) } + [0]), 0o755) == 0)
        let nested = subfolder + Array("/x".utf8) + [0x80, 0xC3] + Array(".png".utf8)
        try Self.create(latin1, contents: TemporaryTree.png + [1])
        try Self.create(nested, contents: TemporaryTree.png + [2])

        // A process that opens and creates by the bytes (what ImageCodecs must do, see FileNameBytes.withPath).
        let calls = CallLog()
        let process: BatchProcess = { item in
            calls.add(FileNameBytes.bytes(item.input))
            let data = try FileContents.read(item.input, limit: 1 << 20)
            let fd = FileNameBytes.withPath(item.output) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
            guard fd >= 0 else { throw BatchError.cannotAccess("cannot create \(item.output)") }
            _ = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            return .done
        }
        let console = RecordingConsole()
        let options = BatchOptions.testing { $0.recipe = Recipe(description: "copy") }
        let summary = try runner(options, console).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: process)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(summary.processed == 3 && summary.exitStatus == 0, "\(console.standardError)")
        #expect(Set(calls.all) == Set([Array(tree.path("in/plain.png").utf8), latin1, nested]))
        // The outputs have the inputs' bytes as names, and their contents.
        let out = { (input: [UInt8]) in Array(tree.path("out").utf8) + input.dropFirst(Array(tree.path("in").utf8).count) }
        #expect(Self.read(out(latin1)) == TemporaryTree.png + [1])
        #expect(Self.read(out(nested)) == TemporaryTree.png + [2])
        #expect(!tree.exists("out/lat\u{FFFD}.png"))
        // Each has its record, so a re-run skips all three as up to date.
        #expect(Self.read(Array(tree.path("out/.imgconv-recipes/lat").utf8) + [0xE9] + Array(".png".utf8)) != nil)
        let again = try runner(options, RecordingConsole()).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: process)
        #expect(again.processed == 0 && again.skipped == 4, "\(again)")
    }
}

/// The inputs a process was called with, from any thread.
final class CallLog: Sendable {
    private let calls = Locking.Lock<[[UInt8]]>([])
    func add(_ bytes: [UInt8]) { calls.withLock { $0.append(bytes) } }
    var all: [[UInt8]] { calls.withLock { $0 } }
}
