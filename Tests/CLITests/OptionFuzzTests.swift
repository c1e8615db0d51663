import Foundation
import ImageCodecs
import TensorEngine
import Testing

/// Option fuzzing (issue 12, "make the tests find these by themselves"): every option that takes a value, of
/// every command, at the values that broke the tool before (0, −1, 2³¹ − 1, 2⁶³, 1e19, NaN, Inf, "", " 1 2 "),
/// on an 8×8 image. Invariants for every run: it ends within 20 s (60 s for `animate`) with exit 0, 1 or 64 (never a signal), its
/// peak memory stays under 1 GiB, as in the other hostile tests (the outputs are tiny, so memory may not follow the
/// option; `ru_maxrss` of a spawned child starts at the test process's own peak, so a tighter bound is not
/// measurable while other suites run in the same process), it leaves no
/// temporary file, NaN and Inf are never taken by a numeric option, and a usage error (64) is printed in the
/// argument parser's style, a failure (1) as `imgconv: …`.
///
/// The options are not listed here: they come from the binary's own definitions (`--experimental-dump-help`),
/// so a new option is fuzzed without touching this file. Only the base invocation of each command (its
/// positional arguments and required options) is written here, and a command without one fails the test.
/// Options that name files to read or write are left out (the values would be file names).
///
/// The default run (72 runs, about a minute on a loaded 2-core machine) fuzzes each distinct option once (options shared through
/// an option group, such as `--quality`, in the first command that has them) with one of the nine values in
/// turn; `IMGCONV_HOSTILE_FULL=1` runs all nine values on every option of every command and of every pipeline step.
@Suite(.serialized) struct OptionFuzzTests {
    static let values = ["0", "-1", "2147483647", "9223372036854775808", "1e19", "nan", "inf", "", " 1 2 "]
    /// Values that no numeric option may accept (1e19 and 2⁶³ are finite reals, which a real-valued option such
    /// as `--angle` or a kernel weight may take; an integer option refuses them, which the exit-status rule covers).
    static let nonNumbers: Set<String> = ["nan", "inf"]
    static let full = ProcessInfo.processInfo.environment["IMGCONV_HOSTILE_FULL"] == "1"

    static let folder: String = {
        let folder = NSTemporaryDirectory() + "imgconv-option-fuzz-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let image = Tensor(shape: TensorShape(n: 1, c: 3, h: 8, w: 8), storage: (0..<192).map { Float(($0 * 37) % 256) / 255 })
        try! ImageFile.write(image, to: folder + "/in.png", source: nil)
        return folder
    }()

    /// Positional arguments and required options of each command; `OUT` is replaced by a fresh output path.
    static let bases: [String: [String]] = [
        "blur": ["IN", "OUT"], "sharpen": ["IN", "OUT"], "edge": ["IN", "OUT"], "emboss": ["IN", "OUT"],
        "identity": ["IN", "OUT"], "conv": ["IN", "OUT", "--kernel", "1 2 1"], "maxpool": ["IN", "OUT", "--kernel-size", "2"],
        "avgpool": ["IN", "OUT", "--kernel-size", "2"], "pad": ["IN", "OUT", "--padding", "1"],
        "pipeline": ["IN", "OUT", "blur"], "convert": ["IN", "OUT"], "info": ["IN"],
        "shape": ["--input", "8,8"], "explain": ["--input", "1 2; 3 4", "--kernel", "1"], "kernels": [],
        "kernel": [], "kernel show": ["gaussian:1"], "visualize": ["IN", "OUT"], "sweep": ["IN", "OUT"],
        "animate": ["IN", "OUT.gif"], "version": [],
        "dilate": ["IN", "OUT"], "erode": ["IN", "OUT"], "open": ["IN", "OUT"], "close": ["IN", "OUT"], "gradient": ["IN", "OUT"],
        "tophat": ["IN", "OUT"], "blackhat": ["IN", "OUT"], "median": ["IN", "OUT"], "rank": ["IN", "OUT", "--percentile", "50"],
    ]
    /// Options whose value is a file to read or write.
    static let fileOptions: Set<String> = ["files-from", "report", "weight", "kernel-file", "indices", "input-file", "element"]
    /// Options whose values are words or patterns, which may legitimately accept "nan" or "inf".
    static let wordOptions: Set<String> = ["include", "exclude"]

    struct Option: Hashable {
        var command: String
        var name: String
        var abstract: String
    }

    struct Case: CustomStringConvertible {
        var arguments: [String]
        var option: String
        var value: String
        var description: String { arguments.map { $0.debugDescription }.joined(separator: " ") }
    }

    /// Every command path and its value-taking options, from the binary's own dump of its definitions.
    static func options() throws -> (commands: [String], options: [Option]) {
        let dump = try CLI.run(["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as! [String: Any]
        var commands: [String] = [], options: [Option] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            if !path.isEmpty { commands.append(path.joined(separator: " ")) }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
                let name = (argument["preferredName"] as? [String: Any])?["name"] as? String ?? "?"
                options.append(Option(command: path.joined(separator: " "), name: name, abstract: argument["abstract"] as? String ?? ""))
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, path + [sub["commandName"] as! String]) }
        }
        walk(json["command"] as! [String: Any], [])
        return (commands.filter { $0 != "help" }, options)
    }

    static func cases(outputIndex: inout Int) throws -> [Case] {
        let (commands, all) = try options()
        var seen: Set<String> = []
        var cases: [Case] = []
        let fuzzed = all.filter { !fileOptions.contains($0.name) }.filter { option in
            full || seen.insert(option.name + "\u{0}" + option.abstract).inserted
        }
        for (k, option) in fuzzed.enumerated() {
            // Default: one value per option, rotating through the nine so that each value meets every ninth option.
            for value in full ? values : [values[k % values.count]] {
                outputIndex += 1
                cases.append(Case(arguments: invocation(option.command, option: option.name, value: value, index: outputIndex),
                                  option: option.name, value: value))
            }
        }
        if full {
            // Every option of every filter step, inside a pipeline.
            let steps = ["blur", "sharpen", "edge", "emboss", "identity", "conv", "maxpool", "avgpool", "pad",
                         "dilate", "erode", "open", "close", "gradient", "tophat", "blackhat", "median", "rank"]
            for option in all where steps.contains(option.command) && !fileOptions.contains(option.name) {
                let stepBase = bases[option.command]!.dropFirst(2).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
                guard !RunOptionNames.contains(option.name) else { continue }
                for value in values {
                    outputIndex += 1
                    let step = "\(option.command) \(stepBase) '--\(option.name)=\(value)'"
                    cases.append(Case(arguments: ["pipeline", folder + "/in.png", folder + "/out\(outputIndex).png", step],
                                      option: option.name, value: value))
                }
            }
        }
        #expect(Set(commands).isSubset(of: Set(bases.keys)), "every command needs a base invocation here: \(Set(commands).subtracting(bases.keys))")
        return cases
    }

    /// Options of the run (reading, writing, folders), which a pipeline step does not take.
    static let RunOptionNames: Set<String> = ["max-pixels", "quality", "depth", "compression", "background", "include", "exclude",
                                              "format", "jobs", "progress", "shard"]

    static func invocation(_ command: String, option: String, value: String, index: Int) -> [String] {
        var arguments = command.split(separator: " ").map(String.init)
        var base = bases[command] ?? []
        // An option the base already sets gets the fuzzed value instead.
        if let i = base.firstIndex(of: "--" + option) { base.removeSubrange(i...i + 1) }
        for a in base {
            switch a {
            case "IN": arguments.append(folder + "/in.png")
            case "OUT": arguments.append(folder + "/out\(index).png")
            case "OUT.gif": arguments.append(folder + "/out\(index).gif")
            default: arguments.append(a)
            }
        }
        return arguments + ["--\(option)=\(value)"]
    }

    @Test func everyOptionAtHostileValues() throws {
        var index = 0
        let cases = try Self.cases(outputIndex: &index)
        var statuses: [Int32: Int] = [:]
        var worstRSS = 0
        for c in cases {
            try Self.check(c, &statuses, &worstRSS)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: Self.folder)) ?? [] where name.hasPrefix("out") {
                try? FileManager.default.removeItem(atPath: Self.folder + "/" + name)
            }
        }
        #expect(temporaryFilesLeft(in: Self.folder).isEmpty)
        #expect(cases.count >= (Self.full ? 2000 : 70))
        // The counts the README's Robustness section quotes.
        print("option fuzzing: \(cases.count) runs (\(Self.full ? "full grid" : "default")), exits \(statuses.sorted { $0.key < $1.key }), worst peak \(worstRSS / 1024) MiB")
    }

    static func check(_ c: Case, _ statuses: inout [Int32: Int], _ worstRSS: inout Int) throws {
        do {
            // animate draws up to 4096 frames: in the debug build one run takes 6–11 s of CPU on the 8×8 input.
            let r = try BoundedRun.run(c.arguments, timeout: c.arguments.first == "animate" ? 60 : 20, logFolder: Self.folder)
            #expect(!r.timedOut && r.signal == nil, "\(c): \(r)")
            #expect([0, 1, 64].contains(r.exitStatus ?? -1), "\(c): \(r)")
            #expect(r.peakKiB < 1 << 20, "\(c): \(r)")
            if Self.nonNumbers.contains(c.value) && !Self.wordOptions.contains(c.option) {
                #expect(r.exitStatus == 64, "a numeric option took \(c.value.debugDescription): \(c): \(r)")
            }
            if r.exitStatus == 64 { #expect(r.stderr.hasPrefix("Error: "), "usage style: \(c): \(r)") }
            if r.exitStatus == 1 { #expect(r.stderr.hasPrefix("imgconv: "), "one-line style: \(c): \(r)") }
            statuses[r.exitStatus ?? -1, default: 0] += 1
            worstRSS = max(worstRSS, r.peakKiB)
        }
    }
}
