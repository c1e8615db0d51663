import Foundation
import Testing

/// Issue 19 item 10 and issue 12 item 14: no path a command writes (output, report, indices) is a path it
/// reads (image, weight, bias, kernel file, file list), and maxpool's two outputs are committed together.
@Suite struct PathRuleCLITests {
    /// A folder with x.npy, w.npy (1, 1, 3, 3), b.npy (1,), k.txt and a.png.
    private func workspace() throws -> ImageTree {
        let tree = try ImageTree()
        try tree.write("x.npy", npy(shape: [1, 1, 8, 8], values: (0..<64).map { Float($0) / 64 }))
        try tree.write("w.npy", npy(shape: [1, 1, 3, 3], values: [Float](repeating: 1, count: 9)))
        try tree.write("b.npy", npy(shape: [1], values: [0.5]))
        try tree.write("k.txt", Array("1 2 1; 2 4 2; 1 2 1".utf8))
        try tree.writeImage("a.png", seed: 3)
        return tree
    }

    private func expectRefused(_ tree: ImageTree, _ args: [String], keeps files: [String], saying: String,
                               stdin: Data? = nil) throws {
        let before = files.map { tree.contents($0) }
        let r = try CLI.run(args, stdin: stdin)
        #expect(r.status == 1, "\(args)")
        #expect(r.stderr.contains(saying), "\(r.stderr)")
        #expect(files.map { tree.contents($0) } == before, "a file that was read was changed")
        #expect(!tree.files(under: "").contains { $0.contains(".tmp-") })
    }

    @Test func convOutputOntoWeightIsRefused_item10() throws {
        let t = try workspace()
        try expectRefused(t, ["conv", t.path("x.npy"), t.path("w.npy"), "--weight", t.path("w.npy")],
                          keeps: ["w.npy", "x.npy"], saying: "output is the same file as the --weight file")
        // Another spelling of the same file.
        try expectRefused(t, ["conv", t.path("x.npy"), t.root + "/./w.npy", "--weight", t.path("w.npy")],
                          keeps: ["w.npy"], saying: "output is the same file as the --weight file")
    }

    @Test func convOutputOntoBiasIsRefused_item10() throws {
        let t = try workspace()
        try expectRefused(t, ["conv", t.path("x.npy"), t.path("b.npy"), "--weight", t.path("w.npy"), "--bias", t.path("b.npy")],
                          keeps: ["b.npy", "w.npy"], saying: "output is the same file as the --bias file")
    }

    @Test func convOutputOntoKernelFileIsRefused_item10() throws {
        let t = try workspace()
        try t.write("k.npy", npy(shape: [3, 3], values: [Float](repeating: 1, count: 9)))
        try expectRefused(t, ["conv", t.path("x.npy"), t.path("k.npy"), "--kernel-file", t.path("k.npy")],
                          keeps: ["k.npy"], saying: "output is the same file as the --kernel-file")
        try expectRefused(t, ["pipeline", t.path("a.png"), t.path("k.txt"), "conv --kernel-file \(t.path("k.txt"))"],
                          keeps: ["k.txt"], saying: "output is the same file as the --kernel-file")
    }

    @Test func reportOntoFileListIsRefused_item10() throws {
        let t = try workspace()
        try t.writeImage("in/a.png", seed: 1)
        try t.write("list", Array("a.png\n".utf8))
        try expectRefused(t, ["blur", t.path("in"), t.path("out"), "--files-from", t.path("list"), "--report", t.path("list")],
                          keeps: ["list"], saying: "--report file is the same file as the --files-from list")
        try expectRefused(t, ["conv", t.path("in"), t.path("out"), "--kernel-file", t.path("k.txt"), "--report", t.path("k.txt")],
                          keeps: ["k.txt"], saying: "--report file is the same file as the --kernel-file")
        #expect(!t.exists("out"))
    }

    /// In a folder run, an input whose output would be a weight file fails; the others are done.
    @Test func folderOutputOntoWeightFails_item10() throws {
        let t = try workspace()
        try t.write("in/w.npy", t.contents("x.npy")!)
        try t.write("in/y.npy", t.contents("x.npy")!)
        try t.write("out/w.npy", t.contents("w.npy")!)
        let weights = try #require(t.contents("out/w.npy"))
        let r = try CLI.run(["conv", t.path("in"), t.path("out"), "--weight", t.path("out/w.npy"), "--progress", "none"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(t.path("in/w.npy")): Its output \(t.path("out/w.npy")) is a file the command reads"), "\(r.stderr)")
        #expect(t.contents("out/w.npy") == weights)
        #expect(t.exists("out/y.npy"))
    }

    @Test func maxpoolIndicesOntoOutputIsRefused_item14() throws {
        let t = try workspace()
        try expectRefused(t, ["maxpool", t.path("a.png"), t.path("a.npy"), "--kernel-size", "2", "--indices", t.path("a.npy")],
                          keeps: ["a.png"], saying: "--indices file is the same file as the output")
        #expect(!t.exists("a.npy"))
        try expectRefused(t, ["maxpool", t.path("a.png"), t.path("a.png"), "--kernel-size", "2", "--indices", t.path("i.npy")],
                          keeps: ["a.png"], saying: "output is the same file as the input")
        try expectRefused(t, ["maxpool", t.path("a.png"), t.path("o.png"), "--kernel-size", "2", "--indices", t.path("a.png")],
                          keeps: ["a.png"], saying: "--indices file is the same file as the input")

        // The indices cannot be written: neither output appears.
        let r = try CLI.run(["maxpool", t.path("a.png"), t.path("o.png"), "--kernel-size", "2", "--indices", "/nonexistent/i.npy"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/i.npy: "), "\(r.stderr)")
        #expect(!t.exists("o.png"))
        // The image cannot be written: no indices either, and an older indices file is kept.
        try t.write("old.npy", [1, 2, 3])
        let bad = try CLI.run(["maxpool", t.path("a.png"), t.path("nofolder/o.png"), "--kernel-size", "2", "--indices", t.path("old.npy")])
        #expect(bad.status == 1)
        #expect(t.contents("old.npy") == [1, 2, 3])
        #expect(!t.files(under: "").contains { $0.contains(".tmp-") })
        // Both succeed together.
        let ok = try CLI.run(["maxpool", t.path("a.png"), t.path("o.png"), "--kernel-size", "2", "--indices", t.path("i.npy")])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(t.exists("o.png") && t.exists("i.npy"))
    }
}

/// A little-endian float32 `.npy` (version 1.0) of `shape`.
func npy(shape: [Int], values: [Float]) -> [UInt8] {
    let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
    bytes += Array(header.utf8)
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    return bytes
}
