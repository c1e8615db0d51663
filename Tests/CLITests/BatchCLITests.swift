import Foundation
import ImageCodecs
import TensorEngine
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Folder runs through the real binary: the tree is mirrored, failures are named, shards split the work,
/// and an interrupted run (SIGKILL, SIGINT, SIGTERM) is finished correctly by running it again.
@Suite struct BatchCLITests {
    // MARK: - Mirroring, counts, failures

    @Test func folderRunMirrorsTheTreeAndNamesTheFailures() throws {
        let tree = try ImageTree.mixed()
        let r = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--progress", "none"])
        #expect(r.status == 1)
        #expect(tree.files(under: "out") == ImageTree.mixedImages)
        #expect(r.stderr.contains(tree.path("in/sub/broken.png") + ": "))
        #expect(r.stderr.contains(tree.path("in/sub/deeper/garbage.jpg") + ": "))
        #expect(r.stderr.contains("processed 4, skipped 3 (1 not an image, 2 hidden), failed 2 in "))

        // Each output is exactly what the single-file command writes.
        for relative in ImageTree.mixedImages {
            let single = tree.path("single-" + relative.replacingOccurrences(of: "/", with: "-"))
            let one = try CLI.run(["blur", tree.path("in/" + relative), single])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(tree.bytes(at: single) == tree.contents("out/" + relative), "\(relative)")
        }
    }

    @Test(arguments: ["npy", "jpg", "png"])
    func convertWithFormatChangesTheExtensions(format: String) throws {
        let tree = try ImageTree.mixed()
        let r = try CLI.run(["convert", tree.path("in"), tree.path("out"), "--format", format, "-q"])
        #expect(r.status == 1)
        let expected = ImageTree.mixedImages.map { ImageTree.replacingExtension($0, with: format) }.sorted()
        #expect(tree.files(under: "out") == expected)
        for relative in ImageTree.mixedImages {
            let single = tree.path("single." + format)
            #expect(try CLI.run(["convert", tree.path("in/" + relative), single]).status == 0)
            #expect(tree.bytes(at: single) == tree.contents("out/" + ImageTree.replacingExtension(relative, with: format)))
        }
    }

    // MARK: - Shards

    @Test func shardsAreDisjointAndCoverEverything() throws {
        let tree = try ImageTree.mixed()
        for index in 0..<8 { try tree.writeImage("in/more/m\(index).png", seed: 10 + index) }
        let clean = try CLI.run(["identity", tree.path("in"), tree.path("all"), "-q"])
        #expect(clean.status == 1)
        let everything = tree.files(under: "all")
        #expect(everything.count == 12)

        var seen: [String] = []
        var failureLines = 0
        for k in 0..<3 {
            let r = try CLI.run(["identity", tree.path("in"), tree.path("shard\(k)"), "--shard", "\(k)/3", "--progress", "none"])
            #expect(r.status == 0 || r.status == 1)
            let files = tree.files(under: "shard\(k)")
            #expect(!files.isEmpty, "shard \(k)/3 got nothing out of 12 images")
            for file in files { #expect(tree.contents("shard\(k)/" + file) == tree.contents("all/" + file)) }
            seen += files
            failureLines += r.stderr.split(separator: "\n").filter { $0.hasPrefix(tree.path("in/")) }.count
        }
        #expect(seen.sorted() == everything) // disjoint (no duplicates) and complete
        #expect(failureLines == 2)           // each corrupt input is reported by exactly one shard
    }

    /// The README's recipe: N processes (machines) at once, one shared output folder.
    @Test func concurrentShardsIntoOneFolderGiveTheCleanResult() throws {
        let tree = try ImageTree.many(count: 30)
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("clean"), "-q"]).status == 0)
        let runs = try (0..<3).map { k in
            try CLI.start(["blur", tree.path("in"), tree.path("out"), "--shard", "\(k)/3", "--jobs", "1", "-q"], logs: tree.path("log\(k)"))
        }
        for run in runs { run.waitUntilExit(); #expect(run.terminationStatus == 0) }
        #expect(tree.files(under: "out") == tree.files(under: "clean"))
        #expect(tree.snapshot("out") == tree.snapshot("clean"))
    }

    // MARK: - Report, dry run, re-run

    @Test func reportLinesAreJSONWithTheRightFields() throws {
        let tree = try ImageTree.mixed()
        let report = tree.path("report.jsonl")
        #expect(try CLI.run(["sharpen", tree.path("in"), tree.path("out"), "--report", report, "-q"]).status == 1)
        let lines = String(decoding: tree.bytes(at: report) ?? [], as: UTF8.self).split(separator: "\n")
        let entries = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let keys: Set = ["error", "input_bytes", "milliseconds", "output", "output_bytes", "path", "status"]
        for entry in entries { #expect(Set(entry.keys) == keys) }
        // One line per input: 4 images, 2 corrupt, 1 text, the hidden file and the hidden folder.
        #expect(entries.count == 9)
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0["path"] as! String, $0) })
        for relative in ImageTree.mixedImages {
            let entry = try #require(byPath[tree.path("in/" + relative)])
            #expect(entry["status"] as? String == "ok")
            #expect(entry["error"] is NSNull)
            #expect(entry["output"] as? String == tree.path("out/" + relative))
            #expect((entry["output_bytes"] as? NSNumber)?.intValue == tree.contents("out/" + relative)?.count)
            #expect((entry["input_bytes"] as? NSNumber)?.intValue == tree.contents("in/" + relative)?.count)
            #expect(((entry["milliseconds"] as? NSNumber)?.doubleValue ?? -1) >= 0)
        }
        for corrupt in ["sub/broken.png", "sub/deeper/garbage.jpg"] {
            let entry = try #require(byPath[tree.path("in/" + corrupt)])
            #expect(entry["status"] as? String == "failed")
            #expect(((entry["error"] as? String) ?? "").isEmpty == false)
            #expect(entry["output_bytes"] is NSNull)
        }
        let text = try #require(byPath[tree.path("in/notes.txt")])
        #expect(text["status"] as? String == "skipped")
        #expect(text["error"] as? String == "not an image")
        #expect(byPath[tree.path("in/.hidden.png")]?["error"] as? String == "hidden")
    }

    @Test func dryRunTouchesNothing() throws {
        let tree = try ImageTree.mixed()
        let before = tree.snapshot("in", withTimes: true)
        let r = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--dry-run", "--report", tree.path("out/r.jsonl")])
        #expect(r.status == 0)
        #expect(!tree.exists("out"))
        #expect(tree.snapshot("in", withTimes: true) == before)
        for relative in ImageTree.mixedImages + ["sub/broken.png", "sub/deeper/garbage.jpg"] {
            #expect(r.stdout.contains("process \(tree.path("in/" + relative)) -> \(tree.path("out/" + relative))\n"))
        }
        #expect(r.stdout.contains("skip \(tree.path("in/notes.txt")): not an image\n"))
        #expect(r.stderr.contains("dry run: would process 6, skipped 3"))
    }

    @Test func reRunAfterACompletedRunSkipsEverything() throws {
        let tree = try ImageTree.many(count: 6)
        #expect(try CLI.run(["emboss", tree.path("in"), tree.path("out"), "-q"]).status == 0)
        let before = tree.snapshot("out", withTimes: true)
        let again = try CLI.run(["emboss", tree.path("in"), tree.path("out"), "--progress", "none"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("processed 0, skipped 6 (6 output is up to date), failed 0"))
        #expect(tree.snapshot("out", withTimes: true) == before)

        // A newer input is redone, and only that one.
        try tree.writeImage("in/img_003.png", seed: 99)
        try tree.setModified("in/img_003.png", to: Date().addingTimeInterval(5))
        let third = try CLI.run(["emboss", tree.path("in"), tree.path("out"), "--progress", "none"])
        #expect(third.stderr.contains("processed 1, skipped 5 (5 output is up to date), failed 0"))
    }

    @Test func filesFromEntriesInsideTheOutputFolderAreNotInputs() throws {
        let tree = try ImageTree.many(count: 3)
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("out"), "-q"]).status == 0)
        let list = "img_000.png\n\(tree.path("out/img_001.png"))\n../out/img_002.png\n"
        let r = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--files-from", "-", "--overwrite", "--dry-run"],
                            stdin: Data(list.utf8))
        #expect(r.stdout.contains("process \(tree.path("in/img_000.png"))"))
        #expect(r.stdout.contains("skip \(tree.path("out/img_001.png")): inside the output folder"))
        #expect(r.stderr.contains("would process 1, skipped 2 (2 inside the output folder)"))
    }

    // MARK: - Interruptions

    /// SIGKILL cannot be caught: the run stops wherever it is. A re-run must finish the job with the
    /// same bytes as a clean run, never trusting a partial file, and never taking a leftover
    /// `.NAME.tmp-XXXXXX` for an input or an output.
    @Test func killedRunIsFinishedByARerun() throws {
        let tree = try ImageTree.many(count: 150)
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("clean"), "-q"]).status == 0)
        let clean = tree.snapshot("clean")

        let run = try CLI.start(["blur", tree.path("in"), tree.path("out"), "--jobs", "1", "-q"], logs: tree.path("killed"))
        try waitUntil { !tree.visibleFiles(under: "out").isEmpty }
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        #expect(run.terminationReason == .uncaughtSignal)
        let done = tree.visibleFiles(under: "out")
        #expect(done.count < 150, "the run finished before it was killed; the test proves nothing")
        for file in done { #expect(tree.contents("out/" + file) == clean[file], "partial file under a final name: \(file)") }

        // A stale temporary file as a killed write leaves it, for an image not yet written.
        let missing = try #require(tree.files(under: "clean").first { !done.contains($0) })
        let stale = ".\(missing).tmp-Ab12Cd"
        try tree.write("out/" + stale, Array((clean[missing] ?? []).prefix(40)))

        let rerun = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--jobs", "2", "--progress", "none"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("processed \(150 - done.count), skipped \(done.count) (\(done.count) output is up to date)"))
        #expect(tree.snapshot("out") == clean)
        #expect(tree.contents("out/" + stale)?.count == 40) // neither used nor clobbered
        #expect(!rerun.stderr.contains("tmp-"))

        // Nor is it an input when the output folder is the next command's input.
        let next = try CLI.run(["identity", tree.path("out"), tree.path("next"), "--progress", "none"])
        #expect(next.status == 0)
        #expect(next.stderr.contains("processed 150, skipped 1 (1 hidden)"))
        #expect(tree.files(under: "next").allSatisfy { !$0.contains("tmp-") })
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func signalStopsCleanly(signal: Int32, status: Int32, name: String) throws {
        let tree = try ImageTree.many(count: 120)
        let run = try CLI.start(["blur", tree.path("in"), tree.path("out"), "--jobs", "1", "--progress", "none"],
                                logs: tree.path("log"))
        try waitUntil { !tree.visibleFiles(under: "out").isEmpty }
        kill(run.processIdentifier, signal)
        run.waitUntilExit()
        #expect(run.terminationReason == .exit)
        #expect(run.terminationStatus == status)
        let log = String(decoding: tree.contents("log.stderr") ?? [], as: UTF8.self)
        #expect(log.contains("interrupted by \(name)"), "\(log)")
        let files = tree.files(under: "out")
        #expect(files.allSatisfy { !$0.contains(".tmp-") }, "temporary files left: \(files)")
        #expect(files.count < 120)

        let rerun = try CLI.run(["blur", tree.path("in"), tree.path("out"), "-q"])
        #expect(rerun.status == 0)
        #expect(tree.files(under: "out").count == 120)
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("clean"), "-q"]).status == 0)
        #expect(tree.snapshot("out") == tree.snapshot("clean"))
    }
}

// MARK: - Support

extension CLI {
    /// Starts the binary without waiting; standard output and error go to `logs.stdout` and `logs.stderr`.
    static func start(_ arguments: [String], logs: String) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: logs + ".stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: logs + ".stderr", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: logs + ".stdout")
        process.standardError = FileHandle(forWritingAtPath: logs + ".stderr")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// Polls `condition` every 2 ms; throws after `seconds`.
func waitUntil(seconds: Double = 120, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else { throw CLITestError("gave up waiting after \(seconds) s") }
        usleep(2000)
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A temporary folder of real PNG and JPEG files, removed when the value goes away.
final class ImageTree {
    let root: String

    init() throws {
        root = try CLI.temporaryFolder().path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The images of `mixed()`, relative to `in/`, sorted.
    static let mixedImages = ["a.png", "sub/b.jpg", "sub/deeper/c.png", "sub/deeper/d.jpg"]

    /// `in/` with four images at three depths, a truncated PNG, a "JPEG" of garbage after the magic bytes,
    /// a text file, a hidden image and a hidden folder holding an image.
    static func mixed() throws -> ImageTree {
        let tree = try ImageTree()
        for (index, relative) in mixedImages.enumerated() { try tree.writeImage("in/" + relative, seed: index) }
        let png = try #require(tree.contents("in/a.png"))
        try tree.write("in/sub/broken.png", Array(png.prefix(png.count / 2)))
        try tree.write("in/sub/deeper/garbage.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + Array("not really a JPEG".utf8))
        try tree.write("in/notes.txt", Array("some notes\n".utf8))
        try tree.write("in/.hidden.png", png)
        try tree.write("in/.cache/c.png", png)
        return tree
    }

    /// `in/img_000.png` … with `count` small distinct images.
    static func many(count: Int) throws -> ImageTree {
        let tree = try ImageTree()
        for index in 0..<count { try tree.writeImage(String(format: "in/img_%03d.png", index), seed: index) }
        return tree
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// A small RGB image, different for each seed, in the format its extension names.
    func writeImage(_ relative: String, seed: Int) throws {
        let (h, w) = (24 + seed % 5, 32 + seed % 3)
        let shape = TensorShape(c: 3, h: h, w: w)
        var values = [Float](repeating: 0, count: shape.count)
        for c in 0..<3 {
            for y in 0..<h {
                for x in 0..<w {
                    let v = (x * (c + 1) * 7 + y * 11 + seed * 13 + (x * y) % (seed + 3)) % 256
                    values[(c * h + y) * w + x] = Float(v) / 255
                }
            }
        }
        try createFolder(for: relative)
        try ImageFile.write(Tensor(shape: shape, storage: values), to: path(relative), source: nil)
    }

    func write(_ relative: String, _ bytes: [UInt8]) throws {
        try createFolder(for: relative)
        try Data(bytes).write(to: URL(fileURLWithPath: path(relative)))
    }

    private func createFolder(for relative: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    func contents(_ relative: String) -> [UInt8]? { bytes(at: path(relative)) }

    func bytes(at path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map(Array.init) }

    func setModified(_ relative: String, to date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(relative))
    }

    /// Every regular file under `relative` (hidden ones included), as sorted relative paths.
    func files(under relative: String) -> [String] {
        let base = path(relative)
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var result: [String] = []
        while let entry = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + entry, isDirectory: &isFolder), !isFolder.boolValue {
                result.append(entry)
            }
        }
        return result.sorted()
    }

    /// `files(under:)` without hidden files (temporary files of interrupted writes are hidden).
    func visibleFiles(under relative: String) -> [String] {
        files(under: relative).filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
    }

    /// Relative path → bytes (and, with `withTimes`, modification time appended) of every visible file under `relative`.
    func snapshot(_ relative: String, withTimes: Bool = false) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for file in visibleFiles(under: relative) {
            var bytes = contents(relative + "/" + file) ?? []
            if withTimes {
                let date = (try? FileManager.default.attributesOfItem(atPath: path(relative + "/" + file)))?[.modificationDate] as? Date
                bytes += Array(String(date?.timeIntervalSince1970 ?? -1).utf8)
            }
            result[file] = bytes
        }
        return result
    }

    static func replacingExtension(_ path: String, with ext: String) -> String {
        (path as NSString).deletingPathExtension + "." + ext
    }
}
