import Foundation
import Testing

private let camera = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("samples/skimage_camera.png").path

/// The formula lines and the final `H×W → H_out×W_out` that `imgconv shape` prints for `arguments`.
private func shapeLines(_ arguments: [String]) throws -> (formulas: [String], result: String) {
    let r = try CLI.run(["shape"] + arguments)
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let formulas = lines.compactMap { line -> String? in
        guard line.hasPrefix("rows:") || line.hasPrefix("columns:") else { return nil }
        return line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
    }
    return (formulas, String(lines.last!.split(separator: "→").last!).trimmingCharacters(in: .whitespaces))
}

@Test("visualize's caption has the numbers imgconv shape prints", arguments: [
    ["--kernel-size", "5", "--stride", "2", "--padding", "1"],
    ["--kernel-size", "3", "--dilation", "2", "--padding", "2"],
    ["--kernel-size", "3,5", "--stride", "2,1", "--padding", "1,2"],
    ["--kernel-size", "4", "--padding", "same"],
    ["--pool", "max", "--kernel-size", "3", "--stride", "2", "--padding", "1"],
])
func visualizeCaptionMatchesShape(_ parameters: [String]) throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("v.png").path
    let r = try CLI.run(["visualize", camera, out, "--crop", "80,200,20,24"] + parameters)  // TOP,LEFT,HEIGHT,WIDTH
    #expect(r.status == 0, "\(r.stderr)")
    let shape = try shapeLines(["--input", "20,24"] + parameters)
    #expect(!shape.formulas.isEmpty)
    for formula in shape.formulas { #expect(r.stdout.contains(formula), "caption lacks \(formula):\n\(r.stdout)") }
    #expect(r.stdout.contains("20×24, ") && r.stdout.contains("→ \(shape.result)\n"), "caption lacks → \(shape.result):\n\(r.stdout)")
    let info = try CLI.run(["info", out])
    #expect(info.status == 0 && info.stdout.contains("PNG"))
}

@Test func sweepTilesMatchShape() throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("s.png").path
    let r = try CLI.run(["sweep", camera, out, "--filter", "blur --box 3", "--crop", "100,100,30,30", "--stride", "1", "2,1", "3",
                         "--padding", "0", "2", "--padding-mode", "zeros", "reflect"])
    #expect(r.status == 0, "\(r.stderr)")
    var checked = 0
    for stride in ["1", "2,1", "3"] {
        for padding in ["0", "2"] {
            let expected = try shapeLines(["--input", "30,30", "--kernel-size", "3", "--stride", stride, "--padding", padding]).result
            let s = stride.contains(",") ? "(\(stride.replacingOccurrences(of: ",", with: ", ")))" : stride
            for mode in ["zeros", "reflect"] {
                let line = "s=\(s) p=\(padding) d=1, \(mode) → \(expected)"
                #expect(r.stdout.contains(line), "no tile '\(line)' in:\n\(r.stdout)")
                checked += 1
            }
        }
    }
    #expect(checked == 12)
}

@Test func visualizeRefusesWhatPyTorchRefuses() throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("v.png").path
    let r = try CLI.run(["visualize", camera, out, "--crop", "0,0,8,8", "--stride", "2", "--padding", "same"])
    #expect(r.status == 64 && r.stderr.contains("same"))  // wrong for every input: a usage error (issue 12.21)
    #expect(!FileManager.default.fileExists(atPath: out))
    let bad = try CLI.run(["visualize", camera, out, "--filter", "blurry"])
    #expect(bad.status == 64)
}

private let lesson = "1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1"

@Test func visualizeTakesAGridAndPrintsTheLessonsSum() throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("lesson.png").path
    let r = try CLI.run(["visualize", "--grid", lesson, out, "--kernel", "1 0 1; 0 1 0; 1 0 1", "--products", "--at", "1,2"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("at 1,2: (5×1) + (1×0) + (0×1)") && r.stdout.hasSuffix("  = 9\n"), "\(r.stdout)")
    #expect(try CLI.run(["info", out]).stdout.contains("PNG"))
    // Both a file and --grid, or neither: usage errors.
    #expect(try CLI.run(["visualize", "--grid", lesson, camera, out]).status == 64)
    #expect(try CLI.run(["visualize", out]).status == 64)
}

@Test func cropIsTopLeftHeightWidth() throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("v.png").path
    let r = try CLI.run(["visualize", camera, out, "--crop", "10,300,8,20"])
    #expect(r.status == 0 && r.stdout.contains("8×20, "), "\(r.stdout)\(r.stderr)")
    // Rows beyond the 512-row image: refused, named as height×width.
    let bad = try CLI.run(["visualize", camera, out, "--crop", "510,0,8,8"])
    #expect(bad.status == 1 && bad.stderr.contains("top,left,height,width"), "\(bad.stderr)")
}

@Test("Pictures beyond 16 megapixels are refused at once, before allocating", arguments: [
    ["visualize", "--crop", "0,0,427,512", "--scale", "64"], ["visualize", "--scale", "100000"],
    ["visualize", "--padding", "100000"], ["sweep", "--padding", "100000"], ["sweep", "--scale", "100000"],
    ["animate", "--padding", "100000"],
])
func hugePicturesAreRefused(_ arguments: [String]) throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent(arguments[0] == "animate" ? "a.gif" : "v.png").path
    let start = Date()
    let r = try CLI.run([arguments[0], camera, out] + arguments.dropFirst())
    #expect(r.status == 1 && (r.stderr.contains("megapixels") || r.stderr.contains("frames")), "\(r.stderr)")
    #expect(Date().timeIntervalSince(start) < 20)
    #expect(!FileManager.default.fileExists(atPath: out))
}

@Test func animateWritesOneGIFFramePerOutputPosition() throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("a.gif").path
    let r = try CLI.run(["animate", "--grid", lesson, out, "--kernel-size", "3", "--stride", "2", "--padding", "1", "--fps", "4"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("9 frames of ") && r.stdout.contains(" at 25 cs each"), "\(r.stdout)")
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
    #expect(bytes.starts(with: Array("GIF89a".utf8)) && bytes.last == 0x3B)
    // A .png name is refused (animate writes GIF), and nothing is written.
    let png = folder.appendingPathComponent("a.png").path
    #expect(try CLI.run(["animate", "--grid", lesson, png]).status == 64)
    #expect(!FileManager.default.fileExists(atPath: png))
}

@Test("--dry-run on a single file writes nothing", arguments: [
    ["blur", "--sigma", "2"], ["conv", "--kernel", "1 0 1; 0 1 0; 1 0 1"], ["maxpool", "--kernel-size", "2"], ["convert"],
    ["pipeline", "blur", "edge"],
])
func dryRunOnOneFileWritesNothing(_ arguments: [String]) throws {
    let folder = try CLI.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("o.png").path
    let command = arguments[0]
    let r = try CLI.run([command, camera, out] + arguments.dropFirst() + ["--dry-run"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "process \(camera) -> \(out)\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    if command == "maxpool" {
        let idx = folder.appendingPathComponent("i.npy").path
        let withIndices = try CLI.run(["maxpool", camera, out, "--kernel-size", "2", "--indices", idx, "--dry-run"])
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(withIndices.status == 0 && left.isEmpty)
    }
    let missing = try CLI.run([command, folder.appendingPathComponent("none.png").path, out] + arguments.dropFirst() + ["--dry-run"])
    #expect(missing.status == 1 && !FileManager.default.fileExists(atPath: out))
}
