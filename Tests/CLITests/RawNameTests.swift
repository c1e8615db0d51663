import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import FileNames

/// Issue 12 item 16, end to end: `lat\xE9.png` read and its output written with the same bytes, in a folder run
/// and as single-file arguments. The CLI and BatchProcessing carry the bytes, and every system call of ImageCodecs
/// and ImagePipeline that takes a path is given them (`FileNameBytes.withPath`).
@Suite struct RawNameTests {
    @Test
    func nonUTF8NamesAreReadAndWrittenByTheirBytes_item16() throws {
        let tree = try ImageTree.many(count: 1)
        let raw = Array(tree.path("in/lat").utf8) + [0xE9] + Array(".png".utf8)
        let image = try #require(tree.contents("in/img_000.png"))
        let fd = (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        try #require(fd >= 0)
        _ = image.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)

        let folder = try CLI.run(["convert", tree.path("in"), tree.path("out"), "--progress", "none"])
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect(tree.visibleFiles(under: "out").contains("img_000.png"))  // Foundation's listing cannot show the other name; access(2) checks it below
        let written = Array(tree.path("out/lat").utf8) + [0xE9] + Array(".png".utf8)
        #expect(access(written.map { CChar(bitPattern: $0) } + [0], F_OK) == 0, "out/lat\\xE9.png was not written under its bytes")

        let single = Array(tree.path("o").utf8) + [0xE9] + Array(".png".utf8)
        let (status, stderr) = try spawnRaw([Array("convert".utf8), raw, single], logs: tree.path("raw"))
        #expect(status == 0, "\(stderr)")
        #expect(access(single.map { CChar(bitPattern: $0) } + [0], F_OK) == 0)
    }
}
