import Foundation
import ImageCodecs
import Testing

/// The encoder and the file writes fail at a chosen row or byte (`IMGCONV_FAULT`, see `WriteFault`), at every
/// stage, for a conversion (samples passed through), one step, pipelines and `.npy`, for one file and in a folder: exit 1, one clear line, no
/// partial file, no temporary file, and a folder run goes on with its other files.
@Suite struct FaultInjectionTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImageCodecsTests/Fixtures/jpeg/libjpeg-turbo/testorig.jpg").path  // 227×149: several strips

    /// Every stage: the first, a middle and the last row, the end of encoding, the first and a middle byte, the rename.
    static let faults = ["encode-row:0", "encode-row:70", "encode-row:148", "encode-finish", "write-byte:0", "write-byte:1000", "rename"]

    static let commands: [(name: String, arguments: @Sendable (String, String) -> [String], ext: String)] = [
        ("convert→png (samples passed through)", { ["convert", $0, $1] }, "png"),
        ("blur→jpg (one step)", { ["blur", $0, $1] }, "jpg"),
        ("pipeline→png (two steps)", { ["pipeline", $0, $1, "blur", "edge"] }, "png"),
        ("sharpen→jpg (two steps)", { ["pipeline", $0, $1, "sharpen", "identity"] }, "jpg"),
        ("convert→npy (rows written at each plane's offset)", { ["convert", $0, $1] }, "npy"),
    ]

    @Test(arguments: faults)
    func aFaultAtAnyStageLeavesNothingBehind(_ fault: String) throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        var runs = 0
        for command in Self.commands {
            // .npy files have no encoder: only the file-write faults reach them.
            if command.ext == "npy" && (fault.hasPrefix("encode")) { continue }
            let output = work + "/out." + command.ext
            let r = try BoundedRun.run(command.arguments(Self.source, output), logFolder: work, environment: ["IMGCONV_FAULT": fault])
            runs += 1
            #expect(r.exitStatus == 1, "\(command.name) with \(fault): \(r)")
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("imgconv: \(output): ") && r.stderr.contains("injected fault \(fault)"),
                    "\(command.name) with \(fault): \(r)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(command.name) with \(fault) left its output")
            #expect(temporaryFilesLeft(in: work).isEmpty, "\(command.name) with \(fault) left a temporary file")
        }
        #expect(runs >= 4)
        // Without the fault the same commands succeed: the failures above are the fault's.
        let clean = try BoundedRun.run(["blur", Self.source, work + "/clean.jpg"], logFolder: work)
        #expect(clean.exitStatus == 0, "\(clean)")
    }

    @Test(arguments: ["encode-row:3@b.png", "encode-finish@b.png", "write-byte:10@b.png", "rename@b.png"])
    func aFolderRunGoesOnAfterAFault(_ fault: String) throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let inputs = work + "/in", out = work + "/out"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: false)
        for name in ["a", "b", "c"] { try FileManager.default.copyItem(atPath: Self.source, toPath: "\(inputs)/\(name).jpg") }
        let r = try BoundedRun.run(["blur", inputs, out, "--format", "png", "--progress", "none"], timeout: 60, logFolder: work,
                                   environment: ["IMGCONV_FAULT": fault])
        #expect(r.exitStatus == 1, "\(r)")
        #expect(r.stderr.contains("b.png") && r.stderr.contains("injected fault"), "\(r)")
        let written = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0 != ".imgconv-recipes" }.sorted()
        #expect(written == ["a.png", "c.png"], "\(written)")
        #expect(temporaryFilesLeft(in: out).isEmpty)
        #expect(try ImageFile.read(out + "/a.png").tensor.shape.h == 149)
        // A re-run without the fault writes the missing file and skips nothing it should not.
        let again = try BoundedRun.run(["blur", inputs, out, "--format", "png", "--progress", "none"], timeout: 60, logFolder: work)
        #expect(again.exitStatus == 0, "\(again)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0 != ".imgconv-recipes" }.sorted() == ["a.png", "b.png", "c.png"])
    }
}
