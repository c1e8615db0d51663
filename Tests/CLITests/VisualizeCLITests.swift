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
    let r = try CLI.run(["visualize", camera, out, "--crop", "200,80,24,20"] + parameters)
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
    let r = try CLI.run(["sweep", camera, out, "--filter", "blur", "--crop", "100,100,30,30", "--stride", "1", "2,1", "3",
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
