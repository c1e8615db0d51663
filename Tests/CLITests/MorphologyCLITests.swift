import Foundation
import ImageCodecs
import TensorEngine
import Testing

/// The morphology and rank commands (issue 18) as a user runs them: text grids in and out (exact numbers), the
/// pipeline step, `--element FILE`, and refusals.
@Suite struct MorphologyCLITests {
    static let grid = "1 2 3 0 1\n0 1 5 1 0\n1 0 2 2 1\n1 1 2 0 0\n1 0 1 1 1\n"

    func run(_ arguments: [String], in folder: URL) throws -> CommandResult {
        try CLI.run(arguments, directory: folder)
    }

    func read(_ path: String, in folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    func folder() throws -> URL {
        let folder = try CLI.temporaryFolder()
        try Self.grid.write(to: folder.appendingPathComponent("g.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Worked by hand on the lesson grid: 3×3 square, pixels outside ignored (dilate, erode), edge replicated (median).
    @Test(arguments: [
        (["dilate"], "2 5 5 5 1\n2 5 5 5 2\n1 5 5 5 2\n1 2 2 2 2\n1 2 2 2 1\n"),
        (["erode", "--shape", "cross"], "0 1 0 0 0\n0 0 1 0 0\n0 0 0 0 0\n1 0 0 0 0\n0 0 0 0 0\n"),
        (["median"], "1 2 2 1 1\n1 1 2 1 1\n1 1 1 1 0\n1 1 1 1 1\n1 1 1 1 1\n"),
        (["rank", "--percentile", "100"], "2 5 5 5 1\n2 5 5 5 2\n1 5 5 5 2\n1 2 2 2 2\n1 2 2 2 1\n"),
        (["dilate", "--stride", "2"], "2 5 1\n1 5 2\n1 2 1\n"),
    ])
    func commandsGiveTheWorkedValues(_ arguments: [String], _ expected: String) throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try run([arguments[0], "g.txt", "o.txt"] + arguments.dropFirst(), in: folder)
        try #require(r.status == 0, "\(arguments): \(r.stderr)")
        #expect(try read("o.txt", in: folder).split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n") + "\n"
                == expected, "\(arguments)")
    }

    @Test func compositionsAreTheirDefinitions() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func grid(_ path: String) throws -> Tensor { try ImageFile.read(folder.appendingPathComponent(path).path).tensor }
        for (name, args) in [("open", ["erode", "dilate"]), ("close", ["dilate", "erode"])] {
            #expect(try run([name, "g.txt", "\(name).npy", "--shape", "disk", "--size", "5"], in: folder).status == 0)
            #expect(try run(["pipeline", "g.txt", "\(name)-steps.npy"] + args.map { "\($0) --shape disk --size 5" }, in: folder).status == 0)
            #expect(try grid("\(name).npy") == grid("\(name)-steps.npy"), "\(name)")
        }
        #expect(try run(["dilate", "g.txt", "d.npy"], in: folder).status == 0)
        #expect(try run(["erode", "g.txt", "e.npy"], in: folder).status == 0)
        #expect(try run(["gradient", "g.txt", "gr.npy"], in: folder).status == 0)
        let d = try grid("d.npy"), e = try grid("e.npy"), g = try grid("gr.npy")
        #expect(g.storage == zip(d.storage, e.storage).map { $0 - $1 })
        // --iterations 2 is the step twice.
        #expect(try run(["median", "g.txt", "m2.npy", "--iterations", "2"], in: folder).status == 0)
        #expect(try run(["pipeline", "g.txt", "mm.npy", "median", "median"], in: folder).status == 0)
        #expect(try grid("m2.npy") == grid("mm.npy"))
    }

    @Test func anElementFileIsTheSameAsItsShape() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "0 1 0\n1 1 1\n0 1 0\n".write(to: folder.appendingPathComponent("cross.txt"), atomically: true, encoding: .utf8)
        #expect(try run(["erode", "g.txt", "a.txt", "--element", "cross.txt"], in: folder).status == 0)
        #expect(try run(["erode", "g.txt", "b.txt", "--shape", "cross"], in: folder).status == 0)
        #expect(try read("a.txt", in: folder) == read("b.txt", in: folder))
        // A file that is not an element: a failed file (exit 1, one line naming it), no output.
        try "0 1\n1 0.5\n".write(to: folder.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
        let bad = try run(["erode", "g.txt", "c.txt", "--element", "bad.txt"], in: folder)
        #expect(bad.status == 1 && bad.stderr == "imgconv: bad.txt: a structuring element holds only 0 and 1, but this one holds 0.5\n", "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("c.txt").path))
    }

    @Test(arguments: [
        (["dilate", "--size", "0"], "a structuring element must be at least 1×1"),
        (["dilate", "--shape", "star"], "'star' is invalid for '--shape <SHAPE>'"),
        (["open", "--stride", "2"], "a stride applies to dilate, erode, median and rank only"),
        (["rank", "--percentile", "120"], "--percentile must be between 0 and 100"),
        (["rank"], "Missing expected argument '--percentile <P>'"),
        (["median", "--iterations", "0"], "iterations must be between 1 and 1000"),
        (["erode", "--element", "e.txt", "--size", "5"], "Give --element FILE, or --size and --shape, not both."),
    ])
    func badOptionsAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try run([arguments[0], "g.txt", "o.txt"] + arguments.dropFirst(), in: folder)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: ") && first.contains(message), "\(arguments): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("o.txt").path))
    }

    @Test func aPipelineStepIsTheCommand() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("in.png").path
        try ImageFile.write(Tensor(shape: TensorShape(n: 1, c: 3, h: 40, w: 37), storage: (0..<(3 * 40 * 37)).map { Float(($0 * 7919) % 256) / 255 }),
                            to: png, source: nil)
        #expect(try run(["median", "in.png", "a.png", "--size", "5", "--shape", "disk"], in: folder).status == 0)
        #expect(try run(["pipeline", "in.png", "b.png", "blur --box 1", "median --size 5 --shape disk"], in: folder).status == 0)
        #expect(try AtomicFile.read(folder.appendingPathComponent("a.png").path) == AtomicFile.read(folder.appendingPathComponent("b.png").path))
        let bad = try run(["pipeline", "in.png", "c.png", "dilate --sise 3"], in: folder)
        #expect(bad.status == 64 && bad.stderr.contains("Unknown option '--sise'"), "\(bad.stderr)")
        let verbose = try run(["tophat", "in.png", "t.png", "--size", "7", "--shape", "disk", "--verbose"], in: folder)
        #expect(verbose.status == 0 && verbose.stderr.contains("tophat: 7×7 disk, pixels outside ignored"), "\(verbose.stderr)")
    }
}
