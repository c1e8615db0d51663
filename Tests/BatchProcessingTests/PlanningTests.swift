import Foundation
import Testing
@testable import BatchProcessing

@Suite struct PlanningTests {
    @Test func mirrorsTheTreeAndSkipsHiddenAndNonImages() throws {
        let tree = try TemporaryTree.photos()
        let plan = try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == [
            "a.png", "arrays/x.npy", "b.jpg", "holiday/2023/corrupt-1.png", "holiday/2023/sunset.jpeg", "holiday/beach.png",
        ])
        let sunset = try #require(plan.items.first { $0.relativePath == "holiday/2023/sunset.jpeg" })
        #expect(sunset.input == tree.path("in/holiday/2023/sunset.jpeg"))
        #expect(sunset.output == tree.path("out/holiday/2023/sunset.jpeg"))
        #expect(sunset.kind == .jpeg)
        #expect(plan.items.first { $0.relativePath == "arrays/x.npy" }?.kind == .npy)
        #expect(plan.skippedCount(.notAnImage) == 1)
        #expect(plan.skippedCount(.hidden) == 2) // .hidden.png and the .cache folder, once
        #expect(plan.skipped.first { $0.reason == .notAnImage }?.relativePath == "notes.txt")
        #expect(plan.unreadable.isEmpty)
    }

    @Test func nonRecursiveStaysInTheTopFolder() throws {
        let tree = try TemporaryTree.photos()
        let plan = try BatchPlanner(options: BatchOptions(recursive: false))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == ["a.png", "b.jpg"])
    }

    @Test func outputFormatReplacesTheExtension() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        try tree.write("in/sub/b.tar.jpeg", TemporaryTree.jpeg)
        try tree.write("in/noext", TemporaryTree.jpeg)
        let plan = try BatchPlanner(options: BatchOptions(outputFormatExtension: "npy"))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.output) == [tree.path("out/a.npy"), tree.path("out/noext.npy"), tree.path("out/sub/b.tar.npy")])
    }

    @Test func magicBytesDecideNotTheName() throws {
        let tree = try TemporaryTree()
        try tree.write("in/fake.png", TemporaryTree.text)
        try tree.write("in/photo.dat", TemporaryTree.jpeg)
        try tree.write("in/empty.png", [])
        try tree.write("in/short.png", [0x89, 0x50])
        let plan = try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == ["photo.dat"])
        #expect(plan.skippedCount(.notAnImage) == 3)
    }

    @Test func outputFolderInsideInputIsNotScanned() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.png", TemporaryTree.png)
        try tree.write("in/out/a.png", TemporaryTree.png) // an earlier run's output
        let plan = try BatchPlanner(options: BatchOptions(overwrite: true))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("in/out"))
        #expect(plan.items.map(\.relativePath) == ["a.png"])
        #expect(plan.items.first?.output == tree.path("in/out/a.png"))
    }

    @Test func outputFolderEqualToInputIsRefused() throws {
        let tree = try TemporaryTree.photos()
        #expect(throws: BatchError.invalidOptions("The output folder is the input folder; choose another output folder.")) {
            try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("in"), outputRoot: tree.path("in/./"))
        }
    }

    @Test func outputThatWouldReplaceAnInputIsSkipped() throws {
        // The input folder lies inside the output folder, so some outputs land on inputs.
        let tree = try TemporaryTree()
        try tree.write("photos/a.png", TemporaryTree.png)
        try tree.write("photos/b", TemporaryTree.jpeg)
        try tree.write("photos/photos/a.png", TemporaryTree.png) // → tree/photos/a.png, an input
        try tree.write("photos/photos/b/c.png", TemporaryTree.png) // → tree/photos/b/c.png, inside the input b
        let plan = try BatchPlanner(options: BatchOptions(overwrite: true))
            .plan(inputRoot: tree.path("photos"), outputRoot: tree.root)
        #expect(plan.items.map(\.output) == [tree.path("a.png"), tree.path("b")])
        #expect(plan.skipped.map(\.relativePath) == ["photos/a.png", "photos/b/c.png"])
        #expect(plan.skipped.allSatisfy { $0.reason == .outputWouldReplaceInput })
    }

    @Test func twoInputsWithTheSameOutputBothFail_item19() throws {
        let tree = try TemporaryTree()
        try tree.write("in/a.jpg", TemporaryTree.jpeg)
        try tree.write("in/a.png", TemporaryTree.png)
        try tree.write("in/b.png", TemporaryTree.png)
        let plan = try BatchPlanner(options: BatchOptions(outputFormatExtension: "png"))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == ["b.png"])
        #expect(plan.skipped.isEmpty)
        #expect(plan.unreadable.map(\.path) == [tree.path("in/a.jpg"), tree.path("in/a.png")])
        #expect(plan.unreadable[0].reason == "Collision: \(tree.path("in/a.png")) has the same output \(tree.path("out/a.png")); rename one or choose another output format.")
    }

    @Test func missingInputFolderIsAnError() throws {
        let tree = try TemporaryTree()
        #expect(throws: BatchError.notFound("The input folder \(tree.path("nope")) does not exist.")) {
            try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("nope"), outputRoot: tree.path("out"))
        }
    }

    @Test func outputThatIsAFileIsAnError() throws {
        let tree = try TemporaryTree.photos()
        try tree.write("out.png", TemporaryTree.png)
        #expect(throws: BatchError.self) {
            try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("in"), outputRoot: tree.path("out.png"))
        }
    }
}
