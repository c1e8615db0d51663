import Foundation
import Testing
@testable import BatchProcessing

@Suite struct ReportTests {
    private static let keys: Set<String> = ["path", "output", "status", "error", "input_bytes", "output_bytes", "milliseconds"]

    @Test func oneJSONLinePerInput() throws {
        let tree = try TemporaryTree.photos()
        let reportPath = tree.path("report.jsonl")
        _ = try runner(.testing { $0.reportPath = reportPath }, RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)

        let text = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let objects = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.count == 9) // 5 processed, 1 failed, 3 skipped
        #expect(objects.allSatisfy { Set($0.keys) == Self.keys })
        let byPath = Dictionary(objects.map { ($0["path"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })

        let beach = try #require(byPath[tree.path("in/holiday/beach.png")])
        #expect(beach["status"] as? String == "ok")
        #expect(beach["output"] as? String == tree.path("out/holiday/beach.png"))
        #expect((beach["input_bytes"] as? NSNumber)?.intValue == TemporaryTree.png.count)
        #expect((beach["output_bytes"] as? NSNumber)?.intValue == TemporaryTree.png.count)
        #expect(((beach["milliseconds"] as? NSNumber)?.doubleValue ?? -1) >= 0)
        #expect(beach["error"] is NSNull)

        let corrupt = try #require(byPath[tree.path("in/holiday/2023/corrupt-1.png")])
        #expect(corrupt["status"] as? String == "failed")
        #expect(corrupt["error"] as? String == "Not a valid image.")
        #expect(corrupt["output_bytes"] is NSNull)

        let notes = try #require(byPath[tree.path("in/notes.txt")])
        #expect(notes["status"] as? String == "skipped")
        #expect(notes["error"] as? String == "not an image")
        #expect(notes["milliseconds"] is NSNull)

        #expect(objects.count { $0["status"] as? String == "ok" } == 5)
    }

    @Test func linesHaveSortedKeysAndEscapedText() throws {
        let entry = ReportEntry(path: "a \"b\"\n.png", output: "o/a.png", status: .failed, error: "Bad.",
                                inputBytes: 10, outputBytes: nil, milliseconds: 1.23456)
        let line = entry.jsonLine
        #expect(!line.contains("\n"))
        #expect(line == #"{"error":"Bad.","input_bytes":10,"milliseconds":1.235,"output":"o/a.png","output_bytes":null,"path":"a \"b\"\n.png","status":"failed"}"#)
    }

    @Test func manyThreadsWriteWholeLines() throws {
        let tree = try TemporaryTree()
        let writer = try ReportWriter(path: tree.path("r.jsonl"))
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            writer.write(ReportEntry(path: String(repeating: "x", count: index * 7), output: nil, status: .ok))
        }
        writer.close()
        let lines = try String(contentsOfFile: tree.path("r.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 200)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
    }

    @Test func reportMayGoInsideANewOutputFolder() throws {
        let tree = try TemporaryTree.photos()
        _ = try runner(.testing { $0.reportPath = tree.path("out/report.jsonl") }, RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        let lines = try String(contentsOfFile: tree.path("out/report.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 9)
    }

    @Test func unwritableReportStopsTheRunBeforeItStarts() throws {
        let tree = try TemporaryTree.photos()
        let copy = CopyProcess()
        #expect(throws: BatchError.cannotAccess("Cannot create the report file \(tree.path("no/such/folder/r.jsonl")): No such file or directory.")) {
            try runner(.testing { $0.reportPath = tree.path("no/such/folder/r.jsonl") }, RecordingConsole())
                .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: copy.process)
        }
        #expect(copy.totalCalls == 0)
    }
}
