import Foundation
import ImageCodecs
@testable import imgconv
import TensorEngine
import Testing

/// `visualize --weight W.npy --groups G` (issue 17 item 9): the picture's numbers are `conv --weight`'s, and
/// the options it cannot take are refused.
@Suite struct VisualizeWeightTests {
    static func write(_ t: Tensor, _ path: String) throws { try ImageFile.write(t, to: path, source: nil) }

    @Test(arguments: [
        ["--groups", "2", "--padding", "1", "--out-channel", "4", "--at", "1,2"],
        ["--groups", "2", "--stride", "2", "--dilation", "2", "--padding", "2", "--padding-mode", "reflect"],
        ["--groups", "1", "--flip", "--padding", "same"],
    ])
    func thePicturesNumbersAreConvWeights(_ options: [String]) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let groups = Int(options[1])!
        let x = Tensor(shape: TensorShape(n: 1, c: 4, h: 7, w: 8), storage: (0..<224).map { Float(($0 * 11) % 13) / 4 })
        let w = Tensor(shape: TensorShape(n: 6, c: 4 / groups, h: 3, w: 3), storage: (0..<(54 * 4 / groups)).map { Float(($0 * 7) % 9) - 4 })
        let (xPath, wPath) = (folder.appendingPathComponent("x.npy").path, folder.appendingPathComponent("w.npy").path)
        try Self.write(x, xPath)
        try Self.write(w, wPath)
        let picture = folder.appendingPathComponent("v.png").path
        let r = try CLI.run(["visualize", xPath, picture, "--weight", wPath] + options)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("groups \(groups)"))
        let info = try CLI.run(["info", picture])
        #expect(info.status == 0 && info.stdout.contains("PNG"))

        // The same options through conv (without visualize's own --out-channel and --at).
        var convOptions: [String] = []
        var i = 0
        while i < options.count {
            if options[i] == "--out-channel" || options[i] == "--at" { i += 2; continue }
            convOptions.append(options[i]); i += 1
        }
        let y = folder.appendingPathComponent("y.npy").path
        let conv = try CLI.run(["conv", xPath, y, "--weight", wPath] + convOptions)
        try #require(conv.status == 0, "\(conv.stderr)")
        let expected = try ImageFile.read(y).tensor

        let command = try VisualizeCommand.parse([xPath, picture, "--weight", wPath] + options)
        let diagram = try #require(try command.weightDiagram(try command.convArguments(weight: wPath), input: xPath))
        #expect(diagram.layout.output == expected, "visualize --weight draws other numbers than conv --weight")
        #expect(diagram.layout.inputBlocks.count == 4 && diagram.layout.outputBlocks.count == 6)
    }

    @Test func optionsThatDoNotApplyAreUsageErrors() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let x = folder.appendingPathComponent("x.npy").path, w = folder.appendingPathComponent("w.npy").path
        try Self.write(Tensor(shape: TensorShape(n: 1, c: 2, h: 4, w: 4), repeating: 1), x)
        try Self.write(Tensor(shape: TensorShape(n: 2, c: 1, h: 3, w: 3), repeating: 1), w)
        let out = folder.appendingPathComponent("v.png").path
        for (extra, says) in [(["--groups", "2"], "go with --weight"), (["--weight", w, "--kernel", "1"], "without --filter"),
                              (["--weight", w, "--channel", "1"], "--channel does not apply"), (["--weight", w, "--products"], "--products"),
                              (["--weight", w, "--at", "0,0", "--at", "1,1"], "one --at"), (["--weight", w, "--groups", "0"], "groups")] {
            let r = try CLI.run(["visualize", x, out] + extra)
            #expect(r.status == 64 && r.stderr.contains(says), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let missing = try CLI.run(["visualize", x, out, "--weight", folder.appendingPathComponent("none.npy").path])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("imgconv: ") && !FileManager.default.fileExists(atPath: out))
        let channel = try CLI.run(["visualize", x, out, "--weight", w, "--groups", "2", "--out-channel", "2"])
        #expect(channel.status == 1 && channel.stderr.contains("--out-channel 2 does not exist"), "\(channel.stderr)")
        let ok = try CLI.run(["visualize", x, out, "--weight", w, "--groups", "2", "--out-channel", "1"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
