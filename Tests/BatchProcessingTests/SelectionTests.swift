import Foundation
import Testing
@testable import BatchProcessing

@Suite struct SelectionTests {
    @Test func patternsMatchTheRelativePathOrTheName() {
        let pngs = GlobFilter(include: ["*.png"])
        #expect(pngs.selectsFile(relativePath: "a.png"))
        #expect(pngs.selectsFile(relativePath: "deep/er/a.png"))
        #expect(!pngs.selectsFile(relativePath: "deep/a.jpg"))

        let holiday = GlobFilter(include: ["holiday/*"])
        #expect(holiday.selectsFile(relativePath: "holiday/2023/a.png")) // `*` crosses `/`
        #expect(!holiday.selectsFile(relativePath: "work/holiday.png"))

        let noDrafts = GlobFilter(exclude: ["draft-*"])
        #expect(!noDrafts.selectsFile(relativePath: "x/draft-1.png"))
        #expect(noDrafts.selectsFile(relativePath: "x/final.png"))
        #expect(!noDrafts.entersFolder(relativePath: "x/draft-old"))
        #expect(GlobFilter(include: ["*.png"]).entersFolder(relativePath: "x.jpg-folder"))
    }

    @Test func excludeWinsOverInclude() {
        let filter = GlobFilter(include: ["*.png", "*.jpg"], exclude: ["*thumb*"])
        #expect(filter.selectsFile(relativePath: "a.jpg"))
        #expect(!filter.selectsFile(relativePath: "a-thumb.png"))
        #expect(!filter.selectsFile(relativePath: "a.npy"))
    }

    @Test func hiddenMeansAComponentStartsWithADot() {
        #expect(GlobFilter.isHidden(relativePath: ".a.png"))
        #expect(GlobFilter.isHidden(relativePath: "x/.git/a.png"))
        #expect(!GlobFilter.isHidden(relativePath: "x/a.png"))
    }

    @Test func includeAndExcludeApplyToTheScan() throws {
        let tree = try TemporaryTree.photos()
        try tree.write("in/raw/r.png", TemporaryTree.png)
        try tree.write("in/holiday/raw/r2.png", TemporaryTree.png)
        let plan = try BatchPlanner(options: BatchOptions(include: ["*.png", "*.jpeg"], exclude: ["raw", "corrupt*"]))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == ["a.png", "holiday/2023/sunset.jpeg", "holiday/beach.png"])
        #expect(plan.skipped.map(\.reason) == [.hidden, .hidden]) // notes.txt was not selected, so not examined
    }

    @Test func filesFromIsRelativeToTheInputFolder() throws {
        let tree = try TemporaryTree.photos()
        try tree.write("elsewhere/e.png", TemporaryTree.png)
        let lines = ["holiday/beach.png", "./a.png", "", "a.png", "notes.txt", ".hidden.png", tree.path("in/b.jpg"),
                     tree.path("elsewhere/e.png"), "missing.png\r"]
        try tree.write("list.txt", Array(lines.joined(separator: "\n").utf8))
        let plan = try BatchPlanner(options: BatchOptions(filesFrom: tree.path("list.txt")))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.relativePath) == ["a.png", "b.jpg", "e.png", "holiday/beach.png"])
        #expect(plan.items.map(\.output) == ["a.png", "b.jpg", "e.png", "holiday/beach.png"].map { tree.path("out/" + $0) })
        #expect(plan.items.first { $0.relativePath == "e.png" }?.input == tree.path("elsewhere/e.png"))
        #expect(plan.skipped.map(\.reason) == [.hidden, .notAnImage])
        #expect(plan.unreadable.map(\.path) == [tree.path("in/missing.png")])
    }

    @Test func filesFromLinesInsideTheOutputFolderAreLeftOut() throws {
        let tree = try TemporaryTree.photos()
        try tree.write("out/a.png", TemporaryTree.png)          // an earlier run's output
        try tree.write("out/holiday/beach.png", TemporaryTree.png)
        try FileManager.default.createSymbolicLink(atPath: tree.path("link-to-out"), withDestinationPath: tree.path("out"))
        let lines = ["a.png", tree.path("out/a.png"), "../out/holiday/beach.png", tree.path("link-to-out/holiday/beach.png")]
        try tree.write("list.txt", Array(lines.joined(separator: "\n").utf8))
        let plan = try BatchPlanner(options: BatchOptions(filesFrom: tree.path("list.txt"), overwrite: true))
            .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
        #expect(plan.items.map(\.input) == [tree.path("in/a.png")])
        #expect(plan.skipped.map(\.reason) == [.insideOutputFolder, .insideOutputFolder, .insideOutputFolder])
        #expect(plan.skippedCount(.insideOutputFolder) == 3)
    }

    @Test func filesFromStandardInputWithoutAnInputFolder() throws {
        let tree = try TemporaryTree.photos()
        let previous = FileManager.default.currentDirectoryPath
        // Relative lines are taken from the current folder when the input is not a folder.
        let lines = tree.path("in/holiday/beach.png") + "\n" + tree.path("in/a.png") + "\n"
        let plan = try BatchPlanner(options: BatchOptions(filesFrom: "-"))
            .plan(inputRoot: tree.path("no-such-folder"), outputRoot: tree.path("out"), standardInput: { _ in Array(lines.utf8) })
        #expect(FileManager.default.currentDirectoryPath == previous)
        #expect(plan.items.map(\.input) == [tree.path("in/a.png"), tree.path("in/holiday/beach.png")])
        #expect(plan.items.map(\.relativePath) == ["a.png", "beach.png"]) // outside the current folder: name only
    }

    @Test func listedPathsMapToSafeRelativePaths() {
        #expect(BatchPlanner.relativePath(ofListed: "a/./b/../c.png", base: "/in") == "a/c.png")
        #expect(BatchPlanner.relativePath(ofListed: "../up.png", base: "/in") == "up.png")
        #expect(BatchPlanner.relativePath(ofListed: "/in/x/y.png", base: "/in") == "x/y.png")
        #expect(BatchPlanner.relativePath(ofListed: "/other/y.png", base: "/in") == "y.png")
    }

    @Test func fileListLines() {
        #expect(FileList.paths(in: "a.png\r\n\n  \n b c.png\nlast") == ["a.png", " b c.png", "last"])
    }

    @Test func imageKindsByTheirFirstBytes() throws {
        #expect(ImageKind.detect(header: TemporaryTree.png) == .png)
        #expect(ImageKind.detect(header: TemporaryTree.jpeg) == .jpeg)
        #expect(ImageKind.detect(header: TemporaryTree.npy) == .npy)
        #expect(ImageKind.detect(header: [0xFF, 0xD8]) == nil)
        #expect(ImageKind.detect(header: TemporaryTree.text) == nil)
        #expect(ImageKind.headerLength == 8)
        #expect(throws: BatchError.cannotAccess("No such file or directory")) { try ImageKind.detect(atPath: "/nonexistent/x.png") }
    }

    @Test func folderJobDecision() throws {
        let tree = try TemporaryTree.photos()
        try tree.write("single.png", TemporaryTree.png)
        #expect(try BatchInput.isFolderJob(input: tree.path("in"), output: tree.path("out")))
        #expect(try BatchInput.isFolderJob(input: tree.path("in"), output: tree.path("in/holiday")))
        #expect(try !BatchInput.isFolderJob(input: tree.path("single.png"), output: tree.path("out.png")))
        #expect(try BatchInput.isFolderJob(input: tree.path("single.png"), output: tree.path("out"), hasFileList: true))
        #expect(throws: BatchError.invalidOptions("The input \(tree.path("in")) is a folder, so the output must be a folder, but \(tree.path("single.png")) is a file.")) {
            try BatchInput.isFolderJob(input: tree.path("in"), output: tree.path("single.png"))
        }
    }
}
