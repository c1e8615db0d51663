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
        #expect(tree.visibleFiles(under: "out") == ImageTree.mixedImages)
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
        #expect(tree.visibleFiles(under: "out") == expected)
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
        let everything = tree.visibleFiles(under: "all")
        #expect(everything.count == 12)

        var seen: [String] = []
        var failureLines = 0
        for k in 0..<3 {
            let r = try CLI.run(["identity", tree.path("in"), tree.path("shard\(k)"), "--shard", "\(k)/3", "--progress", "none"])
            #expect(r.status == 0 || r.status == 1)
            let files = tree.visibleFiles(under: "shard\(k)")
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
        // Every output has its record (one file each, so no two shards write the same record), with the clean run's recipe.
        for file in tree.visibleFiles(under: "out") {
            let record = try #require(tree.json("out/.imgconv-recipes/" + file))
            let clean = try #require(tree.json("clean/.imgconv-recipes/" + file))
            #expect(record["recipe"] as? String == clean["recipe"] as? String, "\(file)")
            #expect(record["input"] as? String == file)
            #expect((record["recipe"] as? String)?.count == 16)
        }
        let again = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--progress", "none"])
        #expect(again.stderr.contains("processed 0, skipped 30 (30 output is up to date)"), "\(again.stderr)")
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

    // MARK: - Issue 12: failures that lose nothing

    /// A report path that is an input, inside IN, the output of an input, or an existing file that is not a
    /// report is refused before anything is written; an earlier report may be replaced.
    @Test func reportOntoInputIsRefused_item2() throws {
        let tree = try ImageTree.mixed()
        try tree.writeImage("elsewhere/x.png", seed: 7)
        try tree.write("notes.txt", Array("keep me\n".utf8))
        let before = tree.snapshot("in", withTimes: true)
        let cases: [(report: String, extra: [String], saying: String)] = [
            (tree.path("in/a.png"), [], "lies inside the input folder"),
            (tree.path("in/new.jsonl"), [], "lies inside the input folder"),
            (tree.path("notes.txt"), [], "exists and is not an imgconv report"),
            (tree.path("elsewhere/x.png"), ["--files-from", "-"], "is the input"),
            (tree.path("out/a.png"), [], "is the output of"),
            (tree.path("in"), [], "is not a regular file"),
        ]
        for c in cases {
            let list = Data("\(tree.path("elsewhere/x.png"))\na.png\n".utf8)
            let r = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--report", c.report] + c.extra,
                                stdin: c.extra.isEmpty ? nil : list)
            #expect(r.status == 1, "\(c.report)")
            #expect(r.stderr.contains("The report \(c.report) \(c.saying)"), "\(r.stderr)")
            #expect(!tree.exists("out"), "a refused run wrote outputs")
        }
        #expect(tree.snapshot("in", withTimes: true) == before)
        #expect(tree.contents("notes.txt") == Array("keep me\n".utf8))
        #expect(tree.contents("elsewhere/x.png") != nil)

        // A report (or an empty file) is replaced; a report inside OUT is fine.
        let report = tree.path("out/report.jsonl")
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("out"), "--report", report, "-q"]).status == 1)
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("out"), "--report", report, "-q"]).status == 1)
        try tree.write("empty.jsonl", [])
        #expect(try CLI.run(["blur", tree.path("in"), tree.path("out"), "--report", tree.path("empty.jsonl"), "-q"]).status == 1)
        #expect((tree.contents("empty.jsonl")?.count ?? 0) > 0)
    }

    /// Same recipe ⇒ skipped; any option that changes the output, another command, another weight file's
    /// contents, or an output changed by hand ⇒ redone, with exactly the bytes of a fresh run.
    @Test func changedParametersRedoTheOutputs_item3() throws {
        let tree = try ImageTree.many(count: 4)
        func run(_ args: [String], into folder: String = "out") throws -> String {
            let r = try CLI.run([args[0], tree.path("in"), tree.path(folder)] + args.dropFirst() + ["--progress", "none"])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stderr
        }
        #expect(try run(["blur", "--sigma", "1"]).contains("processed 4, skipped 0"))
        #expect(try run(["blur", "--sigma", "1", "--jobs", "1", "--report", tree.path("r.jsonl")]).contains("processed 0, skipped 4 (4 output is up to date)"))
        #expect(try run(["blur", "--sigma", "2"]).contains("processed 4, skipped 0"))
        _ = try run(["blur", "--sigma", "2"], into: "fresh8")
        #expect(tree.snapshot("out") == tree.snapshot("fresh8"))
        #expect(try run(["blur", "--sigma", "2", "--quality", "50"]).contains("processed 4, skipped 0"))
        #expect(try run(["edge"]).contains("processed 4, skipped 0"))
        #expect(try run(["edge"]).contains("processed 0, skipped 4"))
        #expect(try run(["pipeline", "edge"]).contains("processed 0, skipped 4")) // the same steps as `edge`
        #expect(try run(["pipeline", "edge", "blur"]).contains("processed 4, skipped 0"))
        #expect(try run(["pipeline", "edge", "blur"]).contains("processed 0, skipped 4"))

        // An output edited (or replaced) by someone else is redone, even with an older time.
        let old = try #require(tree.contents("out/img_001.png"))
        try tree.write("out/img_001.png", Array(old.prefix(old.count / 2)))
        try tree.setModified("out/img_001.png", to: Date().addingTimeInterval(60))
        #expect(try run(["pipeline", "edge", "blur"]).contains("processed 1, skipped 3"))
        #expect(tree.contents("out/img_001.png") == old)

        // The contents of a weight file are part of the recipe.
        try tree.write("k.txt", Array("1 2 1; 2 4 2; 1 2 1".utf8))
        #expect(try run(["conv", "--kernel-file", tree.path("k.txt"), "--normalize"]).contains("processed 4, skipped 0"))
        #expect(try run(["conv", "--kernel-file", tree.path("k.txt"), "--normalize"]).contains("processed 0, skipped 4"))
        try tree.write("k.txt", Array("0 1 0; 1 4 1; 0 1 0".utf8))
        #expect(try run(["conv", "--kernel-file", tree.path("k.txt"), "--normalize"]).contains("processed 4, skipped 0"))
    }

    /// An endless `--files-from -` stops at the stated cap with a message, in bounded time and memory.
    @Test(.timeLimit(.minutes(2))) func endlessFileListIsRefused_item6() throws {
        let tree = try ImageTree.many(count: 1)
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["blur", tree.path("in"), tree.path("out"), "--files-from", "-"]
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        let writer = Thread {
            let line = [UInt8](String(repeating: "img_000.png\n", count: 4096).utf8)
            let fd = input.fileHandleForWriting.fileDescriptor
            while line.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) > 0 {}
        }
        writer.start()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("The file list standard input is longer than 256 MiB"), "\(message)")
        #expect(!tree.exists("out"))

        // An endless file (a device) is capped the same way, in bounded memory.
        let zero = try BoundedRun.run(["blur", tree.path("in"), tree.path("out"), "--files-from", "/dev/zero"],
                                      timeout: 60, logFolder: tree.root)
        #expect(zero.exitStatus == 1, "\(zero)")
        #expect(zero.stderr.contains("The file list /dev/zero is longer than 256 MiB"), "\(zero)")
        #expect(zero.peakKiB < 700 << 10, "\(zero)")
        #expect(!tree.exists("out"))
    }

    /// `find -print0` lists: NUL separates entries (names may hold newlines), and no entry makes a stray folder.
    @Test func nulSeparatedFileListIsRead_item15() throws {
        let tree = try ImageTree.mixed()
        try tree.writeImage("in/new\nline.png", seed: 5)
        let list = Data("a.png\0sub/b.jpg\0new\nline.png\0".utf8)
        let r = try CLI.run(["identity", tree.path("in"), tree.path("out"), "--files-from", "-", "--progress", "none"], stdin: list)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(tree.visibleFiles(under: "out") == ["a.png", "new\nline.png", "sub/b.jpg"])
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: tree.path("out/a.png"), isDirectory: &isFolder) && !isFolder.boolValue)
        let again = try CLI.run(["identity", tree.path("in"), tree.path("out"), "--files-from", "-", "--progress", "none"], stdin: list)
        #expect(again.status == 0)
        #expect(again.stderr.contains("processed 0, skipped 3 (3 output is up to date)"), "\(again.stderr)")
    }

    /// Two inputs with one output name both fail and the run exits 1; the others are done.
    @Test func collidingOutputsFail_item19() throws {
        let tree = try ImageTree()
        try tree.writeImage("in/a.jpg", seed: 1)
        try tree.writeImage("in/a.png", seed: 2)
        try tree.writeImage("in/b.png", seed: 3)
        let r = try CLI.run(["convert", tree.path("in"), tree.path("out"), "--format", "png", "--progress", "none"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(tree.path("in/a.jpg")): Collision: \(tree.path("in/a.png")) has the same output \(tree.path("out/a.png"))"), "\(r.stderr)")
        #expect(r.stderr.contains("\(tree.path("in/a.png")): Collision: \(tree.path("in/a.jpg"))"))
        #expect(r.stderr.contains("processed 1, skipped 0, failed 2"))
        #expect(tree.visibleFiles(under: "out") == ["b.png"])
    }

    /// "Cannot create the output folder X" says why.
    @Test func outputFolderErrorSaysWhy_item21() throws {
        let tree = try ImageTree.many(count: 1)
        try tree.write("file", [1, 2, 3])
        let r = try CLI.run(["blur", tree.path("in"), tree.path("file/out")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Cannot create the output folder \(tree.path("file/out")): Not a directory."), "\(r.stderr)")
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
        try waitUntil { tree.visibleFiles(under: "out").count >= 3 }
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        #expect(run.terminationReason == .uncaughtSignal)
        let done = tree.visibleFiles(under: "out")
        #expect(done.count < 150, "the run finished before it was killed; the test proves nothing")
        for file in done { #expect(tree.contents("out/" + file) == clean[file], "partial file under a final name: \(file)") }

        // A stale temporary file as a killed write leaves it, for an image not yet written.
        let missing = try #require(tree.visibleFiles(under: "clean").first { !done.contains($0) })
        let stale = ".\(missing).tmp-Ab12Cd"
        try tree.write("out/" + stale, Array((clean[missing] ?? []).prefix(40)))

        // An output is skipped only with its record; one killed between its rename and its record is redone.
        let recorded = done.filter { tree.exists("out/.imgconv-recipes/" + $0) }.count
        #expect(recorded >= done.count - 1 && recorded >= 2)
        let rerun = try CLI.run(["blur", tree.path("in"), tree.path("out"), "--jobs", "2", "--progress", "none"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("processed \(150 - recorded), skipped \(recorded) (\(recorded) output is up to date)"))
        #expect(tree.snapshot("out") == clean)
        #expect(tree.contents("out/" + stale)?.count == 40) // neither used nor clobbered
        #expect(!rerun.stderr.contains("tmp-"))

        // Nor is it an input when the output folder is the next command's input.
        let next = try CLI.run(["identity", tree.path("out"), tree.path("next"), "--progress", "none"])
        #expect(next.status == 0)
        #expect(next.stderr.contains("processed 150, skipped 2 (2 hidden)")) // the leftover and .imgconv-recipes
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
        #expect(tree.visibleFiles(under: "out").count < 120)

        let rerun = try CLI.run(["blur", tree.path("in"), tree.path("out"), "-q"])
        #expect(rerun.status == 0)
        #expect(tree.visibleFiles(under: "out").count == 120)
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

/// Runs the binary with arguments given as raw bytes (Foundation's `Process` takes only valid strings);
/// returns its exit status and standard error.
func spawnRaw(_ arguments: [[UInt8]], logs: String) throws -> (status: Int32, stderr: String) {
    let argv = ([Array(CLI.executable.path.utf8)] + arguments).map { bytes -> UnsafeMutablePointer<CChar>? in
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (i, b) in bytes.enumerated() { pointer[i] = CChar(bitPattern: b) }
        pointer[bytes.count] = 0
        return pointer
    } + [nil]
    defer { for pointer in argv { pointer?.deallocate() } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, logs + ".stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var pid: pid_t = 0
    guard posix_spawn(&pid, CLI.executable.path, &actions, nil, argv, environ) == 0 else { throw CLITestError("posix_spawn failed") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let text = String(decoding: FileManager.default.contents(atPath: logs + ".stderr") ?? Data(), as: UTF8.self)
    return ((status >> 8) & 0xFF, text)
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

    /// The JSON object in the file at `relative`, if it holds one.
    func json(_ relative: String) -> [String: Any]? {
        contents(relative).flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
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
