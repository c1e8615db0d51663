import Foundation
import ImageCodecs
import Testing
import TensorEngine

/// The help texts, exactly, and every example they give, run.
///
/// Snapshots: `Tests/CLITests/Fixtures/help/NAME.txt` holds `imgconv [COMMAND] --help` at 80 columns (what a
/// pipe or a narrow terminal shows) and must match it byte for byte. After changing a help text, regenerate them
/// all with one command and review the diff:
///
///     IMGCONV_UPDATE_SNAPSHOTS=1 swift test --skip-build --filter HelpTests
///
/// Examples: every line of every help text's "Examples:" block that starts with `imgconv` (read at 300 columns so
/// that no example is wrapped) is run in a fresh folder holding the bundled samples under the names the examples
/// use (`photo.jpg`, `photo.png`, `x.npy`, `w.npy`, `photos/`, …; see `workspace()` and `everyExampleRuns`) and must exit 0.
@Suite struct HelpTests {
    static let commands = ["blur", "sharpen", "edge", "emboss", "identity", "conv", "maxpool", "avgpool", "pad",
                           "dilate", "erode", "open", "close", "gradient", "tophat", "blackhat", "median", "rank", "pipeline",
                           "convert", "info", "shape", "explain", "kernels", "kernel show", "visualize", "animate", "sweep", "version"]
    /// The top level and every command, as the argument lists that print their help.
    static let helpCommands: [String] = [""] + commands
    static let snapshots = Repo.path("Tests/CLITests/Fixtures/help")
    static let updating = ProcessInfo.processInfo.environment["IMGCONV_UPDATE_SNAPSHOTS"] == "1"

    static func help(_ command: String, columns: Int) throws -> String {
        let r = try CLI.run(command.split(separator: " ").map(String.init) + ["--help"], environment: ["COLUMNS": String(columns)])
        #expect(r.status == 0, "\(command) --help: \(r.stderr)")
        return r.stdout
    }

    static func snapshotName(_ command: String) -> String {
        command.isEmpty ? "imgconv.txt" : command.replacingOccurrences(of: " ", with: "-") + ".txt"
    }

    @Test func topLevelHelpListsEveryCommand() throws {
        let text = try Self.help("", columns: 80)
        for c in Self.commands.filter({ $0 != "kernel show" }) + ["kernel"] {
            #expect(text.contains("\n  \(c) "), "\(c) missing from --help")
        }
    }

    @Test(arguments: helpCommands)
    func helpMatchesItsSnapshot(command: String) throws {
        let text = try Self.help(command, columns: 80)
        let file = Self.snapshots + "/" + Self.snapshotName(command)
        if Self.updating {
            try FileManager.default.createDirectory(atPath: Self.snapshots, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return
        }
        let snapshot = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text == snapshot, "imgconv \(command) --help differs from \(file); if the change is meant, run IMGCONV_UPDATE_SNAPSHOTS=1 swift test --skip-build --filter HelpTests")
    }

    @Test func noSnapshotWithoutACommand() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.snapshots)
        #expect(Set(files) == Set(Self.helpCommands.map(Self.snapshotName)))
    }

    /// The examples of one help text: lines starting with `imgconv` in its Examples block, without the trailing
    /// notes (two or more spaces then "(…)" or "→ …").
    static func examples(_ command: String) throws -> [String] {
        let lines = try help(command, columns: 300).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Examples:") || $0.hasPrefix("Example:") }) else { return [] }
        var found: [String] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { break }
            guard trimmed.hasPrefix("imgconv ") else { continue }
            var example = trimmed
            if let note = example.range(of: #"\s{2,}(\(|→).*$"#, options: .regularExpression) { example.removeSubrange(note) }
            found.append(example)
        }
        return found
    }

    @Test(arguments: helpCommands)
    func everyHelpHasExamplesOfItself(command: String) throws {
        let examples = try Self.examples(command)
        #expect(!examples.isEmpty, "\(command) --help has no example")
        if !command.isEmpty {
            #expect(examples.allSatisfy { $0.hasPrefix("imgconv \(command)") }, "\(command): \(examples)")
        }
    }

    @Test(arguments: helpCommands)
    func everyExampleRuns(command: String) throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        for example in try Self.examples(command) {
            let words = try Self.shellWords(String(example.dropFirst("imgconv ".count)), in: folder.path)
            // w.npy holds 4 filters over x's 2 channels, or over 2 / groups of them with --groups.
            let groups = words.firstIndex(of: "--groups").flatMap { Int(words[$0 + 1]) } ?? 1
            try writeNpy(Tensor(shape: TensorShape(n: 4, c: 2 / groups, h: 3, w: 3), repeating: 0.1), folder.appendingPathComponent("w.npy").path)
            let r = try CLI.run(words, directory: folder)
            #expect(r.status == 0, "\(example) → exit \(r.status): \(r.stderr)")
        }
    }

    /// A folder with the inputs the examples name, made from the bundled samples and test fixtures.
    static func workspace() throws -> URL {
        let folder = try CLI.temporaryFolder()
        let fm = FileManager.default
        func copy(_ from: String, _ to: String) throws { try fm.copyItem(atPath: Repo.path(from), toPath: folder.appendingPathComponent(to).path) }
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("samples").path, withDestinationPath: Repo.path("samples"))
        try copy("samples/skimage_rocket.jpg", "photo.jpg")
        try copy("samples/skimage_chelsea.png", "photo.png")
        try copy("samples/skimage_chelsea.png", "picture.png")
        try copy("samples/skimage_camera.png", "in.png")
        try copy("samples/skimage_camera.png", "digit.png")
        try copy("Tests/ImageCodecsTests/Fixtures/pngsuite/basn2c16.png", "scan16.png")
        try fm.createDirectory(at: folder.appendingPathComponent("photos"), withIntermediateDirectories: false)
        try copy("samples/skimage_rocket.jpg", "photos/rocket.jpg")
        try copy("samples/skimage_chelsea.png", "photos/chelsea.png")
        // x: 1×2×16×16 (w.npy is written per example, see everyExampleRuns); b: 4 biases.
        try writeNpy(Tensor(shape: TensorShape(n: 1, c: 2, h: 16, w: 16), storage: (0..<512).map { Float($0 % 17) / 16 }),
                     folder.appendingPathComponent("x.npy").path)
        try writeNpy(matrix([[0.1, -0.1, 0.2, 0]]), folder.appendingPathComponent("b.npy").path)
        try Data("3 3 16 0\n1 2 1\n2 4 2\n1 2 1\n".utf8).write(to: folder.appendingPathComponent("blur.mat"))
        let lesson = "1 2 3 0 1\n0 1 5 1 0\n1 0 2 2 1\n1 1 2 0 0\n1 0 1 1 1\n"
        try Data(lesson.utf8).write(to: folder.appendingPathComponent("m.txt"))
        try Data(lesson.utf8).write(to: folder.appendingPathComponent("grid.txt"))
        try Data(lesson.replacingOccurrences(of: " ", with: ",").utf8).write(to: folder.appendingPathComponent("m.csv"))
        // disk.png: a 9×9 gray disk, the kind of mask image `--kernel-file` takes.
        let disk = (0..<81).map { i -> Float in let y = i / 9 - 4, x = i % 9 - 4; return y * y + x * x <= 16 ? 1 : 0 }
        try ImageFile.write(Tensor(shape: TensorShape(n: 1, c: 1, h: 9, w: 9), storage: disk), to: folder.appendingPathComponent("disk.png").path, source: nil)
        return folder
    }

    /// Splits a command line as a POSIX shell would for these examples: single and double quotes, and `*`
    /// globs expanded in `directory` (sorted).
    static func shellWords(_ line: String, in directory: String) throws -> [String] {
        var words: [String] = [], current = "", quote: Character? = nil, inWord = false, globbed = false
        func finish() {
            guard inWord else { return }
            if globbed {
                let parts = current.split(separator: "/").map(String.init)
                let dir = parts.dropLast().joined(separator: "/")
                let pattern = parts.last!
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + dir)) ?? [])
                    .filter { fnmatch(pattern, $0, 0) == 0 }.sorted()
                words += names.isEmpty ? [current] : names.map { dir.isEmpty ? $0 : dir + "/" + $0 }
            } else {
                words.append(current)
            }
            current = ""; inWord = false; globbed = false
        }
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch; inWord = true
            } else if ch == " " {
                finish()
            } else {
                if ch == "*" { globbed = true }
                current.append(ch); inWord = true
            }
        }
        finish()
        return words
    }
}
