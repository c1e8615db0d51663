import Foundation
import Testing
import ImageCodecs
import ImageFilters
import TensorEngine
@testable import ImagePipeline

/// The commit rule in the library: an output is renamed into place only after the input's decoder read the
/// file to its end (``DecoderEnd``), with short strips and with one strip for the whole image; and a fault injected anywhere
/// in writing (``WriteFault``) leaves no output and no temporary file.
@Suite struct CommitRuleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImageCodecsTests/Fixtures").path

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-commit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("out") || $0.hasPrefix(".out") }
    }

    /// Strips of 8 rows and of 1000 (one strip for the fixtures), so that strips of every size are tried.
    static let plans: [Int] = [8, 1000]
    static let pipelines: [@Sendable () throws -> Pipeline] = [
        { Pipeline([]) },
        { Pipeline([PipelineStep(try BlurFilter(.gaussian(sigma: 1, radius: nil)))]) },
    ]

    @Test func lateDecodeErrorLeavesNoOutput_item1() throws {
        let png = try AtomicFile.read(Self.fixtures + "/pngsuite/basn2c08.png")
        let jpeg = try AtomicFile.read(Self.fixtures + "/jpeg/libjpeg-turbo/testorig.jpg")
        let late: [(String, [UInt8])] = [
            ("no-iend.png", Array(png.dropLast(12))),
            ("bad-iend-crc.png", Array(png.dropLast(4)) + [1, 2, 3, 4]),
            ("second-soi.jpg", Array(jpeg.dropLast(2)) + [0xFF, 0xD8, 0xFF, 0xD9]),
            ("bogus-marker.jpg", Array(jpeg.dropLast(2)) + [0xFF, 0xBB, 0xFF, 0xD9]),
        ]
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        for (name, bytes) in late {
            let input = work + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: input))
            for plan in Self.plans {
                for makePipeline in Self.pipelines {
                    for ext in ["png", "jpg"] {
                        let job = FileJob(pipeline: try makePipeline(), stripRows: plan)
                        #expect(throws: (any Error).self, "\(name) → .\(ext), strips \(String(describing: plan))") {
                            try job.run(input: input, output: work + "/out." + ext)
                        }
                        #expect(leftovers(work).isEmpty, "\(name) → .\(ext): \(leftovers(work))")
                    }
                }
            }
        }
    }

    /// Every stage of writing, both paths, both encoders: the error names the output and the fault.
    @Test func injectedWriteFaultsLeaveNothingBehind() throws {
        let input = Self.fixtures + "/jpeg/libjpeg-turbo/testorig.jpg"  // 227×149
        let stages: [WriteFault.Stage] = [.encodeRow(0), .encodeRow(9), .encodeRow(148), .encodeFinish, .writeByte(0), .writeByte(777), .rename]
        let work = try folder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var failures = 0
        for stage in stages {
            for plan in Self.plans {
                for makePipeline in Self.pipelines {
                    for ext in ["png", "jpg"] {
                        var options = EncodeOptions()
                        options.fault = WriteFault(stage)
                        let job = FileJob(pipeline: try makePipeline(), encodeOptions: options, stripRows: plan)
                        do {
                            try job.run(input: input, output: work + "/out." + ext)
                            Issue.record("\(stage) → .\(ext): no failure")
                        } catch let error as ImageCodecError {
                            failures += 1
                            #expect(error.path == work + "/out." + ext && "\(error)".contains("injected fault"), "\(error)")
                        }
                        #expect(leftovers(work).isEmpty, "\(stage) → .\(ext): \(leftovers(work))")
                    }
                }
            }
        }
        #expect(failures == stages.count * 8)
        // Meant for another file: nothing happens.
        var options = EncodeOptions()
        options.fault = WriteFault(.encodeRow(0), fileName: "other.png")
        try FileJob(pipeline: Pipeline([]), encodeOptions: options).run(input: input, output: work + "/out.png")
        #expect(try ImageFile.read(work + "/out.png").tensor.shape.h == 149)
    }

    @Test func faultSpecificationsParse() {
        #expect(WriteFault(parsing: "encode-row:12") == WriteFault(.encodeRow(12)))
        #expect(WriteFault(parsing: "write-byte:0@a.png") == WriteFault(.writeByte(0), fileName: "a.png"))
        #expect(WriteFault(parsing: "encode-finish") == WriteFault(.encodeFinish))
        #expect(WriteFault(parsing: "rename@x.jpg") == WriteFault(.rename, fileName: "x.jpg"))
        for bad in ["", "encode-row", "encode-row:-1", "write-byte:x", "rename:3", "explode"] { #expect(WriteFault(parsing: bad) == nil, "\(bad)") }
    }
}
