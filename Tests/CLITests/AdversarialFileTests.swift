import Dispatch
import Foundation
import ImageCodecs
import Locking
import TensorTestSupport
import Testing

/// An adversarial generator: every PNG chunk and every JPEG marker segment of small good files, each
/// truncated in the middle, with one byte corrupted, duplicated, removed, or followed by garbage; each
/// mutated file run through `imgconv` (`convert`, `blur` to .png and .jpg, `pipeline … blur edge`, `convert` to
/// .npy), one file at a time and as a folder.
///
/// Invariants, for every case and command:
/// * never a signal, never past the time bound, never more than ``memoryLimitKiB``;
/// * exit 1 ⇒ one line `imgconv: FILE: reason`, no output file and no `.NAME.tmp-*` file;
/// * exit 0 ⇒ the output decodes; `convert` to .png or .npy gives exactly the library's own whole-image decode
///   of the same mutated file (done in-process), and `convert` exits 0 exactly when that decode succeeds;
/// * a folder run writes exactly the outputs the single-file runs wrote, and a second run does the same
///   (a failed file is never skipped as "up to date").
///
/// The normal suite runs a seeded sample of ``sampleSize`` cases; `IMGCONV_HOSTILE_FULL=1` runs all of them.
enum Adversary {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let codecFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImageCodecsTests/Fixtures").path
    static let sources = [fixtures + "/adversarial/stripes.png",
                          codecFixtures + "/jpeg/libjpeg-turbo/testorig.jpg",
                          codecFixtures + "/jpeg/libjpeg-turbo/testimgp.jpg"]
    static let sampleSize = 12
    static let timeout: Double = 20
    static let memoryLimitKiB = 512 << 10

    /// A byte range of a file: one PNG chunk (length, type, data, CRC) or one JPEG marker with its segment
    /// (for SOS, the entropy-coded data after it, up to the next marker that is not RSTn).
    struct Segment { var name: String; var range: Range<Int> }

    enum Mutation: String, CaseIterable { case truncate, corrupt, duplicate, remove, garbage }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var description: String { name }
    }

    static func pngChunks(_ d: [UInt8]) -> [Segment] {
        var out: [Segment] = [], p = 8
        while p + 12 <= d.count {
            let length = Int(d[p]) << 24 | Int(d[p + 1]) << 16 | Int(d[p + 2]) << 8 | Int(d[p + 3])
            let end = min(p + 12 + length, d.count)
            out.append(Segment(name: String(decoding: d[(p + 4)..<(p + 8)], as: UTF8.self), range: p..<end))
            p = end
        }
        return out
    }

    static func jpegSegments(_ d: [UInt8]) -> [Segment] {
        var out: [Segment] = [], p = 0
        while p + 1 < d.count {
            guard d[p] == 0xFF else { break }
            let marker = d[p + 1]
            let name = String(format: "FF%02X", marker)
            if marker == 0xD8 || marker == 0xD9 || (0xD0...0xD7).contains(marker) {
                out.append(Segment(name: name, range: p..<(p + 2)))
                p += 2
                continue
            }
            guard p + 3 < d.count else { break }
            var end = min(p + 2 + (Int(d[p + 2]) << 8 | Int(d[p + 3])), d.count)
            if marker == 0xDA {  // the scan's data: up to a marker that is neither stuffing (FF 00) nor RSTn
                while end + 1 < d.count && !(d[end] == 0xFF && d[end + 1] != 0 && !(0xD0...0xD7).contains(d[end + 1])) { end += 1 }
            }
            out.append(Segment(name: name, range: p..<end))
            p = end
        }
        return out
    }


    static func mutate(_ d: [UInt8], _ s: Segment, _ m: Mutation, random: inout SplitMix64) -> [UInt8] {
        let r = s.range
        switch m {
        case .truncate: return Array(d[..<(r.lowerBound + max(1, r.count / 2))])
        case .corrupt:
            var e = d
            e[r.lowerBound + random.below(r.count)] ^= UInt8(1 + random.below(255))
            return e
        case .duplicate: return Array(d[..<r.upperBound]) + d[r] + d[r.upperBound...]
        case .remove: return Array(d[..<r.lowerBound]) + d[r.upperBound...]
        case .garbage: return Array(d[..<r.upperBound]) + (0..<16).map { _ in UInt8(random.below(256)) } + d[r.upperBound...]
        }
    }

    /// Every case (sources × segments × mutations), in a fixed order, each with its own seeded randomness.
    static func allCases() throws -> [Case] {
        var cases: [Case] = []
        for source in sources {
            let d = try AtomicFile.read(source)
            let ext = source.hasSuffix(".png") ? "png" : "jpg"
            let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
            let segments = ext == "png" ? pngChunks(d) : jpegSegments(d)
            for (i, segment) in segments.enumerated() {
                for m in Mutation.allCases {
                    var random = SplitMix64(state: UInt64(cases.count) &* 0x2545_F491_4F6C_DD1D)
                    cases.append(Case(name: "\(stem)-\(i)-\(segment.name)-\(m.rawValue).\(ext)", bytes: mutate(d, segment, m, random: &random)))
                }
            }
        }
        return cases
    }

    /// All cases with `IMGCONV_HOSTILE_FULL=1`, else a seeded sample of ``sampleSize`` (always the same one).
    static func selectedCases() throws -> (cases: [Case], total: Int) {
        let all = try allCases()
        if ProcessInfo.processInfo.environment["IMGCONV_HOSTILE_FULL"] == "1" { return (all, all.count) }
        var random = SplitMix64(state: 12)
        var indices = Array(all.indices)
        for i in indices.indices.reversed() { indices.swapAt(i, random.below(i + 1)) }
        return (indices.prefix(sampleSize).sorted().map { all[$0] }, all.count)
    }

    /// The commands each case runs through: (arguments before IN OUT, output extension, after IN OUT).
    static let commands: [(name: String, before: [String], ext: String, after: [String])] = [
        ("convert→png", ["convert"], "png", []),
        ("convert→jpg", ["convert"], "jpg", []),
        ("blur→png", ["blur"], "png", []),
        ("blur→jpg", ["blur"], "jpg", []),
        ("pipeline blur edge→png", ["pipeline"], "png", ["blur", "edge"]),
        ("convert→npy", ["convert"], "npy", []),
    ]

    struct Tally { var runs = 0, succeeded = 0, refused = 0 }
}

@Suite struct AdversarialFileTests {
    @Test func everyChunkAndMarkerMutationFailsCleanlyOrMatchesTheLibrary() throws {
        let (cases, total) = try Adversary.selectedCases()
        #expect(total > 150)  // 7 PNG chunks and two JPEGs' markers, × 5 mutations
        let work = try CLI.temporaryFolder().path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let inputs = work + "/in"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: false)
        for c in cases { try Data(c.bytes).write(to: URL(fileURLWithPath: inputs + "/" + c.name)) }

        let jobs = cases.indices.flatMap { i in Adversary.commands.indices.map { (i, $0) } }
        let problems = Lock<[String]>([])
        let tally = Lock(Adversary.Tally())
        let blurWrote = Lock<Set<String>>([])  // blur → png successes: what the folder run must write
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            let (i, k) = jobs[j]
            let c = cases[i], command = Adversary.commands[k]
            var found: [String] = []
            do {
                let folder = work + "/run-\(j)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                let input = inputs + "/" + c.name, output = folder + "/out." + command.ext
                let r = try BoundedRun.run(command.before + [input, output] + command.after, timeout: Adversary.timeout, logFolder: work)
                func fail(_ what: String) { found.append("\(command.name) \(c): \(what) — \(r)") }
                if r.timedOut { fail("did not finish within \(Int(Adversary.timeout)) s") }
                if r.signal != nil { fail("ended by a signal") }
                // The child's own memory: ru_maxrss can be the test process's size (see BoundedResult).
                if r.polledPeakKiB > Adversary.memoryLimitKiB { fail("used more than \(Adversary.memoryLimitKiB >> 10) MiB") }
                if !temporaryFilesLeft(in: folder).isEmpty { fail("left temporary files") }
                let reference = Result { try ImageFile.decode(bytes: c.bytes, path: input) }
                switch r.exitStatus {
                case 0:
                    tally.withLock { $0.succeeded += 1 }
                    if k == 2 { _ = blurWrote.withLock { $0.insert(c.name) } }
                    do {
                        let written = try ImageFile.read(output)
                        if command.before == ["convert"] && command.ext != "jpg" {
                            switch reference {
                            case .success(let image) where image.tensor != written.tensor: fail("output differs from the library's decode")
                            case .failure(let error): fail("convert succeeded but the library's decode fails: \(error)")
                            default: break
                            }
                        }
                    } catch { fail("exit 0 but the output does not decode: \(error)") }
                case 1:
                    tally.withLock { $0.refused += 1 }
                    if FileManager.default.fileExists(atPath: output) { fail("exit 1 but an output file exists") }
                    if r.stderrLines.count != 1 || !r.stderr.hasPrefix("imgconv: ") { fail("exit 1 needs one line 'imgconv: FILE: reason'") }
                    if command.before == ["convert"], case .success = reference { fail("convert refused a file the library decodes") }
                default:
                    if !r.timedOut && r.signal == nil { fail("exit status must be 0 or 1") }
                }
                tally.withLock { $0.runs += 1 }
            } catch {
                found.append("\(command.name) \(c): could not run: \(error)")
            }
            if !found.isEmpty { problems.withLock { $0 += found } }
        }

        // The same files as one folder, twice: the same outputs as the single-file blur runs, both times.
        let out = work + "/folder-out"
        var folderRuns: [Int32?] = []
        for _ in 0..<2 {
            let r = try BoundedRun.run(["blur", inputs, out, "--format", "png", "--progress", "none"], timeout: 120, logFolder: work)
            folderRuns.append(r.exitStatus)
            if r.signal != nil || r.timedOut { problems.withLock { $0.append("folder run: \(r)") } }
            let written = Set(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { !$0.hasPrefix(".") }
                .map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
            let expected = Set(blurWrote.withLock { $0 }.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent })
            if written != expected {
                problems.withLock { $0.append("folder run wrote \(written.symmetricDifference(expected).sorted()) unlike the single-file runs") }
            }
            if !temporaryFilesLeft(in: out).isEmpty { problems.withLock { $0.append("folder run left temporary files") } }
            // Files that are no image by their first bytes are skipped, not failed, by a folder run.
            let anyFailed = cases.contains { c in
                ImageFormat.detect(magic: Array(c.bytes.prefix(8))) != nil
                    && !expected.contains(URL(fileURLWithPath: c.name).deletingPathExtension().lastPathComponent)
            }
            if r.exitStatus != (anyFailed ? 1 : 0) { problems.withLock { $0.append("folder run exit \(String(describing: r.exitStatus)), some failed: \(anyFailed)") } }
        }
        let t = tally.withLock { $0 }
        print("AdversarialFileTests: \(cases.count) of \(total) cases × \(Adversary.commands.count) commands = \(t.runs) runs (exit 0: \(t.succeeded), exit 1: \(t.refused)); folder runs of \(cases.count) files exited \(folderRuns.map { $0.map(String.init) ?? "signal" })")
        for problem in problems.withLock({ $0 }).sorted() { Issue.record(Comment(rawValue: problem)) }
        #expect(t.runs == cases.count * Adversary.commands.count)
    }

    @Test func theGeneratorFindsEverySegment() throws {
        let png = Adversary.pngChunks(try AtomicFile.read(Adversary.sources[0])).map(\.name)
        #expect(png == ["IHDR", "tEXt", "IDAT", "IDAT", "IDAT", "tEXt", "IEND"])
        let jpeg = try AtomicFile.read(Adversary.sources[1])
        let segments = Adversary.jpegSegments(jpeg)
        #expect(segments.first?.name == "FFD8" && segments.last?.name == "FFD9")
        #expect(segments.last?.range.upperBound == jpeg.count)  // every byte is in a segment
        #expect(segments.contains { $0.name == "FFDA" } && segments.contains { $0.name == "FFC0" })
    }
}
