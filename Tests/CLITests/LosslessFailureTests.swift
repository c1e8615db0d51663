import Dispatch
import Foundation
import ImageCodecs
import Locking
import Testing

/// Regression tests for issue 12's codec items, each reproduced as the issue describes it, through the binary.
@Suite struct LosslessFailureTests {
    static let codecFixtures = Adversary.codecFixtures
    static let testorig = codecFixtures + "/jpeg/libjpeg-turbo/testorig.jpg"
    static let rocket = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/skimage_rocket.jpg").path

    static func pngChunk(_ kind: String, _ body: [UInt8], crc: UInt32? = nil) -> [UInt8] {
        let typed = Array(kind.utf8) + body
        let sum = crc ?? Self.crc32(typed)
        return be32(UInt32(body.count)) + typed + be32(sum)
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    /// Files whose only error comes after the last row (issue 12, item 1).
    static func lateErrors() throws -> [(name: String, bytes: [UInt8])] {
        let jpeg = try AtomicFile.read(testorig)
        let body = Array(jpeg.dropLast(2))  // without EOI
        let segments = Adversary.jpegSegments(jpeg)
        let sof = Array(jpeg[segments.first { $0.name == "FFC0" }!.range])
        let dht = Array(jpeg[segments.first { $0.name == "FFC4" }!.range])
        let png = try AtomicFile.read(Adversary.sources[0])
        let chunks = Adversary.pngChunks(png)
        let iend = chunks.last!.range, lastIDAT = chunks.last { $0.name == "IDAT" }!.range
        return [
            ("second-soi.jpg", body + [0xFF, 0xD8, 0xFF, 0xD9]),
            ("bogus-marker.jpg", body + [0xFF, 0xBB, 0xFF, 0xD9]),
            ("second-sof.jpg", body + sof + [0xFF, 0xD9]),
            // (a whole DHT between the last scan and EOI is valid: libjpeg and djpeg read it; a cut one is not)
            ("cut-dht-after-scan.jpg", body + dht.prefix(dht.count / 2) + [0xFF, 0xD9]),
            ("no-iend.png", Array(png[..<iend.lowerBound])),
            ("bad-iend-crc.png", Array(png[..<iend.lowerBound]) + pngChunk("IEND", [], crc: 0x1234_5678)),
            ("truncated-chunk-after-idat.png", Array(png[..<(lastIDAT.upperBound + 10)])),
        ]
    }

    @Test func lateDecodeErrorLeavesNoOutput_item1() throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let inputs = work + "/in"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: false)
        let files = try Self.lateErrors()
        for file in files { try Data(file.bytes).write(to: URL(fileURLWithPath: inputs + "/" + file.name)) }
        for file in files {
            // Each must really fail in the library's own whole-image decode, after the rows.
            #expect(throws: ImageCodecError.self, "\(file.name)") { try ImageFile.decode(bytes: file.bytes, path: file.name) }
        }
        // Striped (convert passes samples through, blur filters Float strips) and whole-image (two steps).
        let commands: [(before: [String], ext: String, after: [String])] = [
            (["convert"], "png", []), (["convert"], "jpg", []), (["blur"], "jpg", []), (["sharpen"], "png", []),
            (["pipeline"], "png", ["blur", "identity"]), (["pipeline"], "jpg", ["identity", "identity"]),
        ]
        let runs = files.indices.flatMap { f in commands.indices.map { (f, $0) } }
        let problems = Lock<[String]>([])
        DispatchQueue.concurrentPerform(iterations: runs.count) { j in
            let (file, command) = (files[runs[j].0], commands[runs[j].1])
            let folder = work + "/run-\(j)", output = folder + "/out." + command.ext
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                let r = try BoundedRun.run(command.before + [inputs + "/" + file.name, output] + command.after, logFolder: work)
                var found: [String] = []
                if r.exitStatus != 1 { found.append("\(command) \(file.name): \(r)") }
                if FileManager.default.fileExists(atPath: output) { found.append("\(command) \(file.name) left its output") }
                if !temporaryFilesLeft(in: folder).isEmpty { found.append("\(command) \(file.name) left a temporary file") }
                if !found.isEmpty { problems.withLock { $0 += found } }
            } catch {
                problems.withLock { $0.append("\(command) \(file.name): \(error)") }
            }
        }
        for problem in problems.withLock({ $0 }) { Issue.record(Comment(rawValue: problem)) }
        // A folder: every file fails, twice (never "up to date" from a first run's leftovers).
        for _ in 0..<2 {
            let r = try BoundedRun.run(["blur", inputs, work + "/out", "--progress", "none"], timeout: 60, logFolder: work)
            #expect(r.exitStatus == 1, "\(r)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: work + "/out")) ?? []).isEmpty)
        }
    }

    @Test func failedJPEGOutputIsFreedOnce_item4() throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let inputs = work + "/in"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: false)
        let rocket = try AtomicFile.read(Self.rocket)  // 640×427: its JPEG output outgrows the first 64 KB buffer
        let cut = Array(rocket.prefix(rocket.count * 9 / 10))
        for k in 0..<5 { try Data(cut).write(to: URL(fileURLWithPath: "\(inputs)/cut\(k).jpg")) }
        for k in 0..<6 { try Data(rocket).write(to: URL(fileURLWithPath: "\(inputs)/good\(k).jpg")) }
        for command in [["convert"], ["blur"], ["pipeline"]] {
            let single = try BoundedRun.run(command + [inputs + "/cut0.jpg", work + "/o.jpg"] + (command == ["pipeline"] ? ["blur", "edge"] : []),
                                            logFolder: work)
            #expect(single.signal == nil && single.exitStatus == 1, "\(command): \(single)")
            #expect(!FileManager.default.fileExists(atPath: work + "/o.jpg"))
        }
        // --allow-truncated decodes the cut file, so that the JPEG writer finishes after a large output.
        let allowed = try BoundedRun.run(["blur", inputs + "/cut0.jpg", work + "/o.jpg", "--allow-truncated"], logFolder: work)
        #expect(allowed.exitStatus == 0, "\(allowed)")
        let r = try BoundedRun.run(["blur", inputs, work + "/out", "--format", "jpg", "--progress", "none"], timeout: 120, logFolder: work)
        #expect(r.signal == nil && r.exitStatus == 1, "\(r)")
        let written = ((try? FileManager.default.contentsOfDirectory(atPath: work + "/out")) ?? []).filter { $0 != ".imgconv-recipes" }.sorted()
        #expect(written == (0..<6).map { "good\($0).jpg" })
        #expect(r.stderr.components(separatedBy: "Premature end of JPEG file").count - 1 == 5, "\(r.stderr)")
    }

    /// A header that claims far more than the file holds: memory must follow the data, not the claim.
    @Test func lyingHeaderFailsWithSmallMemory_item9() throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        // testorig.jpg (5.7 KB) with its SOF saying 16000×16000; the 51 KB rocket saying 11000×11000.
        func relabel(_ path: String, _ size: UInt16, as name: String) throws -> String {
            var d = try AtomicFile.read(path)
            let sof = Adversary.jpegSegments(d).first { $0.name == "FFC0" }!.range.lowerBound
            for (i, v) in [UInt8(size >> 8), UInt8(size & 0xFF), UInt8(size >> 8), UInt8(size & 0xFF)].enumerated() { d[sof + 5 + i] = v }
            let out = work + "/" + name
            try Data(d).write(to: URL(fileURLWithPath: out))
            return out
        }
        let small = try relabel(Self.testorig, 16000, as: "claims-16000.jpg")
        let rocket = try relabel(Self.rocket, 11000, as: "claims-11000.jpg")
        // ~100 bytes of PNG declaring 16000×16000 RGBA (4 GiB of Float).
        let png = work + "/claims-16000.png"
        let ihdr = Self.be32(16000) + Self.be32(16000) + [8, 6, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0xA3, 0x60, 0x14, 0x8C, 0x82, 0x51, 0x30, 0x0A, 0x46, 0xC1,
                             0x50, 0x07, 0x00, 0x07, 0xD0, 0x00, 0x01]  // zlib: 2000 zero bytes, the first rows
        let pngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.pngChunk("IHDR", ihdr) + Self.pngChunk("IDAT", idat) + Self.pngChunk("IEND", [])
        try Data(pngBytes).write(to: URL(fileURLWithPath: png))
        let runs: [[String]] = [
            ["pipeline", small, work + "/o.png", "blur", "edge"],
            ["blur", small, work + "/o.npy"],
            ["blur", rocket, work + "/o.png", "--normalize"],
            ["convert", png, work + "/o.png"],
            ["pipeline", png, work + "/o.png", "blur", "edge"],
            ["blur", png, work + "/o.npy"],
        ]
        for arguments in runs {
            let r = try BoundedRun.run(arguments, logFolder: work)
            #expect(r.exitStatus == 1, "\(arguments): \(r)")
            // The child's own memory (ru_maxrss may include the test process's, see BoundedResult.peakKiB).
            #expect(r.peakKiB < 200 << 10, "\(arguments) peaked at \(r.peakKiB >> 10) MiB")
        }
    }

    @Test func fifoIsRefusedWithoutBlocking_item10() throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let fifo = work + "/pipe.png"
        #expect(mkfifo(fifo, 0o644) == 0)
        let npy = work + "/x.npy"
        _ = try BoundedRun.run(["convert", Self.testorig, npy], logFolder: work)
        let runs: [[String]] = [
            ["convert", fifo, work + "/o.png"],
            ["blur", fifo, work + "/o.png"],
            ["info", fifo],
            ["conv", Self.testorig, work + "/o.png", "--kernel-file", fifo],
            ["conv", npy, work + "/o.npy", "--weight", fifo],
            ["explain", "--input", "1 2; 3 4", "--kernel-file", fifo],
        ]
        for arguments in runs {
            let r = try BoundedRun.run(arguments, timeout: 10, logFolder: work)
            #expect(!r.timedOut && r.exitStatus != 0, "\(arguments): \(r)")
            #expect(r.stderr.contains("not a regular file"), "\(arguments): \(r)")
        }
    }

    @Test func halfScanWithEOIIsRefused_item11() throws {
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let d = try AtomicFile.read(Self.rocket)
        let sos = Adversary.jpegSegments(d).first { $0.name == "FFDA" }!.range.lowerBound
        let half = Array(d[..<(sos + (d.count - sos) / 2)]) + [0xFF, 0xD9]
        let inputs = work + "/in"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: false)
        try Data(half).write(to: URL(fileURLWithPath: inputs + "/half.jpg"))
        let refused = try BoundedRun.run(["convert", inputs + "/half.jpg", work + "/o.png"], logFolder: work)
        #expect(refused.exitStatus == 1 && refused.stderr.contains("premature end of data segment") && refused.stderr.contains("--allow-truncated"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: work + "/o.png"))
        let allowed = try BoundedRun.run(["convert", inputs + "/half.jpg", work + "/o.png", "--allow-truncated"], logFolder: work)
        #expect(allowed.exitStatus == 0 && allowed.stderr.contains("premature end of data segment"), "\(allowed)")
        #expect(try ImageFile.read(work + "/o.png").tensor.shape.h == 427)
        let folder = try BoundedRun.run(["convert", inputs, work + "/out", "--format", "png", "--progress", "none"], logFolder: work)
        #expect(folder.exitStatus == 1, "a folder run must count it as failed: \(folder)")
    }
}
