import Foundation
import Testing
@testable import BatchProcessing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct InterruptionTests {
    @Test func sigtermStopsNewItemsAndRemovesTemporaryFiles() throws {
        let tree = try TemporaryTree()
        for index in 0..<6 { try tree.write("in/p\(index).png", TemporaryTree.png) }
        let console = RecordingConsole()
        let registry = TemporaryFileRegistry()
        let copy = CopyProcess()
        let summary = try runner(.testing { $0.jobs = 1 }, console, registry: registry, signals: true)
            .run(inputRoot: tree.path("in"), outputRoot: tree.path("out")) { item in
                if item.relativePath == "p0.png" {
                    // An atomic writer in mid-write: its temporary file is registered.
                    let temporary = tree.path("out/.p0.png.tmp")
                    registry.register(temporary)
                    _ = FileManager.default.createFile(atPath: temporary, contents: Data([1]))
                    kill(getpid(), SIGTERM)
                    // Keep running until the runner has seen the signal.
                    for _ in 0..<500 where !console.standardError.contains("Stopping") { usleep(10_000) }
                }
                return try copy.process(item)
            }
        #expect(summary.interruptedBy == SIGTERM)
        #expect(summary.exitStatus == 143)
        #expect(summary.processed == 1) // the running item finished
        #expect(summary.unfinished == 5)
        #expect(copy.totalCalls == 1)
        #expect(tree.files(under: "out") == ["p0.png"])
        #expect(registry.registered.isEmpty)
        #expect(console.errorLines.last?.contains("unfinished 5, interrupted by SIGTERM") == true)
    }

    @Test func exitStatusFollowsTheSignal() {
        #expect(BatchSummary(interruptedBy: SIGINT).exitStatus == 130)
        #expect(BatchSummary(failures: [BatchFailure(path: "a", reason: "b")], interruptedBy: SIGTERM).exitStatus == 143)
        #expect(BatchSummary(failures: [BatchFailure(path: "a", reason: "b")]).exitStatus == 1)
        #expect(BatchSummary().exitStatus == 0)
    }

    @Test func registryRemovesOnlyWhatIsStillRegistered() throws {
        let tree = try TemporaryTree()
        let registry = TemporaryFileRegistry()
        let kept = try tree.write("kept.tmp", [1])
        let dropped = try tree.write("dropped.tmp", [1])
        registry.register(kept)
        registry.register(dropped)
        registry.unregister(kept)
        registry.whileRegistered(tree.path("scoped.tmp")) {
            #expect(registry.registered == [dropped, tree.path("scoped.tmp")])
        }
        #expect(registry.removeAll() == [dropped])
        #expect(tree.exists("kept.tmp"))
        #expect(!tree.exists("dropped.tmp"))
        #expect(registry.registered.isEmpty)
    }
}
