import Foundation
import Testing
@testable import BatchProcessing

@Suite struct RunnerTests {
    @Test func processesTheTreeAndReportsTheCorruptFile() throws {
        let tree = try TemporaryTree.photos()
        let console = RecordingConsole()
        let copy = CopyProcess()
        let summary = try runner(.testing(), console).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: copy.process)

        #expect(tree.files(under: "out") == ["a.png", "arrays/x.npy", "b.jpg", "holiday/2023/sunset.jpeg", "holiday/beach.png"])
        #expect(tree.contents("out/holiday/2023/sunset.jpeg") == TemporaryTree.jpeg)
        #expect(summary.processed == 5)
        #expect(summary.skipped == 3)
        #expect(summary.skippedCounts == [.notAnImage: 1, .hidden: 2])
        #expect(summary.failures == [BatchFailure(path: tree.path("in/holiday/2023/corrupt-1.png"), reason: "Not a valid image.")])
        #expect(summary.exitStatus == 1)
        #expect(console.errorLines.contains(tree.path("in/holiday/2023/corrupt-1.png") + ": Not a valid image."))
        let last = try #require(console.errorLines.last)
        #expect(last.hasPrefix("processed 5, skipped 3 (1 not an image, 2 hidden), failed 1 in "))
        #expect(console.standardOutput.isEmpty)
    }

    @Test func allGoodExitsZero() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        let summary = try runner(.testing(), RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        #expect(summary.exitStatus == 0)
        #expect(summary.processed == 1)
    }

    @Test(arguments: [1, 2, 7])
    func everyItemIsProcessedExactlyOnce(jobs: Int) throws {
        let tree = try TemporaryTree()
        for index in 0..<60 { try tree.write("in/d\(index % 4)/img\(index).png", TemporaryTree.png) }
        let copy = CopyProcess()
        let summary = try runner(.testing { $0.jobs = jobs }, RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: copy.process)
        #expect(copy.callsByPath.count == 60)
        #expect(copy.callsByPath.values.allSatisfy { $0 == 1 })
        #expect(summary.processed == 60)
        #expect(tree.files(under: "out").count == 60)
    }

    @Test func jobsRunAtTheSameTime() throws {
        // Two items that each wait for the other to start can only finish with two threads.
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        try tree.write("in/b.png", TemporaryTree.png)
        let bothStarted = DispatchGroup()
        bothStarted.enter()
        bothStarted.enter()
        let summary = try runner(.testing { $0.jobs = 2 }, RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out")) { _ in
                bothStarted.leave()
                guard bothStarted.wait(timeout: .now() + 10) == .success else { throw CorruptImage() }
                return .done
            }
        #expect(summary.processed == 2)
    }

    /// An output is skipped only when its record names the same recipe and the input and output are as
    /// they were; a different recipe, a changed input, an output without a record or changed since is redone.
    @Test func upToDateOutputsAreSkippedUnlessOverwrite() throws {
        let tree = try TemporaryTree()
        for name in ["a", "b", "c", "d"] { try tree.write("in/\(name).png", TemporaryTree.png) }
        try tree.write("out/d.png", [9]) // an output without a record, newer than its input
        let recipe = { (text: String, overwrite: Bool) in BatchOptions.testing { $0.recipe = Recipe(description: text); $0.overwrite = overwrite } }
        let first = CopyProcess()
        _ = try runner(recipe("one", false), RecordingConsole()).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: first.process)
        #expect(first.callsByPath.count == 4)
        #expect(tree.records(under: "out") == ["a.png", "b.png", "c.png", "d.png"])
        #expect(tree.contents("out/d.png") == TemporaryTree.png)

        try tree.write("in/b.png", TemporaryTree.png + [0])              // a changed input
        try tree.write("out/c.png", [7])                                   // an output changed by someone else
        let past = Date(timeIntervalSinceNow: -3600)
        try tree.setModified("out/c.png", to: past)
        let second = CopyProcess()
        let summary = try runner(recipe("one", false), RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: second.process)
        #expect(second.callsByPath == ["b.png": 1, "c.png": 1])
        #expect(summary.skippedCounts == [.upToDate: 2])

        let third = CopyProcess()
        _ = try runner(recipe("two", false), RecordingConsole()).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: third.process)
        #expect(third.callsByPath.count == 4)

        let again = CopyProcess()
        let overwritten = try runner(recipe("two", true), RecordingConsole())
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: again.process)
        #expect(again.callsByPath.count == 4)
        #expect(overwritten.skipped == 0)
    }

    @Test func recordsSurviveAnyFileNameAndRejectGarbage() throws {
        let facts = OutputRecord.FileFacts(size: 5, modifiedSeconds: 6, modifiedNanoseconds: 7, device: 8, inode: .max)
        let record = OutputRecord(recipe: "00ff", inputRelativePath: "a\nb\"c\\d/é.png", input: facts, output: facts)
        #expect(OutputRecord(text: record.text) == record)
        #expect(record.text.filter { $0 == "\n" }.count == 1)
        #expect(OutputRecord(text: "") == nil)
        #expect(OutputRecord(text: "{\"format\": \"other\"}") == nil)
        #expect(Recipe(description: "blur σ=1").fingerprint != Recipe(description: "blur σ=8").fingerprint)
        #expect(Recipe(description: "x").fingerprint == Recipe(description: "x").fingerprint)
        #expect(Recipe(description: "x").fingerprint.count == 16)
    }

    @Test func dryRunListsAndTouchesNothing() throws {
        let tree = try TemporaryTree.photos()
        let console = RecordingConsole()
        let copy = CopyProcess()
        let options = BatchOptions.testing {
            $0.dryRun = true
            $0.reportPath = tree.path("report.jsonl")
        }
        let before = tree.files(under: "")
        let summary = try runner(options, console).run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: copy.process)
        #expect(copy.totalCalls == 0)
        #expect(tree.files(under: "") == before)
        #expect(!tree.exists("out"))
        #expect(summary.dryRun && summary.planned == 6 && summary.processed == 0)
        let lines = console.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("process \(tree.path("in/holiday/beach.png")) -> \(tree.path("out/holiday/beach.png"))"))
        #expect(lines.contains("skip \(tree.path("in/notes.txt")): not an image"))
        #expect(lines.contains("skip \(tree.path("in/.cache")): hidden"))
        #expect(lines.count == 9)
        #expect(console.errorLines.last?.hasPrefix("dry run: would process 6, skipped 3") == true)
    }

    @Test func quietPrintsOnlyFailures() throws {
        let tree = try TemporaryTree.photos()
        let console = RecordingConsole()
        _ = try runner(.testing { $0.quiet = true; $0.progress = .plain }, console)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        #expect(console.errorLines == [tree.path("in/holiday/2023/corrupt-1.png") + ": Not a valid image."])
    }

    @Test func plainProgressPrintsALinePerFile() throws {
        let tree = try TemporaryTree.photos()
        let console = RecordingConsole()
        _ = try runner(.testing { $0.progress = .plain }, console)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        let okLines = console.errorLines.filter { $0.contains("/6 ok ") }
        #expect(okLines.count == 5)
        #expect(okLines.contains { $0.hasSuffix(" ok " + tree.path("in/a.png")) })
    }

    @Test func terminalProgressRewritesOneLine() throws {
        let tree = try TemporaryTree.photos()
        let console = RecordingConsole()
        _ = try runner(.testing { $0.progress = .auto }, console, terminal: true)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        #expect(console.standardError.contains("\r\u{1B}[K6/6  "))
        #expect(console.standardError.contains("1 failed"))
        // Not a terminal: auto shows no progress, only the failure and the summary.
        let piped = RecordingConsole()
        _ = try runner(.testing { $0.progress = .auto; $0.overwrite = true }, piped, terminal: false)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        #expect(piped.errorLines.count == 2)
        #expect(!piped.standardError.contains("\r"))
    }

    @Test func leftoverTemporaryFilesAreRemovedAtTheEnd() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        let registry = TemporaryFileRegistry()
        let summary = try runner(.testing(), RecordingConsole(), registry: registry)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out")) { item in
                let temporary = item.output + ".tmp"
                registry.register(temporary)
                _ = FileManager.default.createFile(atPath: temporary, contents: Data([1, 2]))
                throw CorruptImage() // fails without cleaning up its temporary file
            }
        #expect(summary.failed == 1)
        #expect(tree.files(under: "out").isEmpty)
        #expect(registry.registered.isEmpty)
    }

    @Test func unreadableListedInputsAreFailures() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        try tree.write("list.txt", Array("a.png\nmissing.png\n".utf8))
        let console = RecordingConsole()
        let summary = try runner(.testing { $0.filesFrom = tree.path("list.txt") }, console)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out"), process: CopyProcess().process)
        #expect(summary.processed == 1)
        #expect(summary.failures == [BatchFailure(path: tree.path("in/missing.png"), reason: "No such file or directory.")])
        #expect(summary.exitStatus == 1)
    }
}
