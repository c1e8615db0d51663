import ArgumentParser
import BatchProcessing
import Foundation
import ImageCodecs

@main
struct Imgconv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgconv",
        abstract: "Filter PNG and JPEG images with convolution and pooling, exactly as PyTorch computes them.",
        discussion: """
        Images decode to NCHW Float32 tensors with values in [0, 1]; .npy files are read as they are. \
        Every filter is a 2-D convolution or pooling with torch.nn.Conv2d / MaxPool2d / AvgPool2d semantics. \
        IN and OUT may be folders: the tree is mirrored and every core is used.

        Examples:
          imgconv blur photo.jpg soft.jpg --sigma 3
          imgconv edge photo.jpg edges.png
          imgconv conv x.npy y.npy --weight w.npy --stride 2 --padding 1
          imgconv explain --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 1"
          imgconv shape --input 227,227 --kernel-size 11 --stride 4
        """,
        version: VersionCommand.line,
        // The filter commands come from the one catalog (FilterCatalog), which also names pipeline steps and --filter.
        subcommands: FilterCatalog.entries.map(\.command) + [
            PipelineCommand.self, ConvertCommand.self, InfoCommand.self, ShapeCommand.self, ExplainCommand.self,
            KernelsCommand.self, KernelCommand.self, VisualizeCommand.self, AnimateCommand.self, SweepCommand.self, VersionCommand.self,
        ]
    )

    /// Parses and runs as `ParsableCommand.main()` does, with two differences:
    /// - an unknown command word (`imgconv blurr`) is a usage error (64) that names the nearest command;
    /// - a `ValidationError` thrown while a subcommand runs (an option value the library refused, see
    ///   `Diagnostics.validatingOptions`) is printed exactly as the parser prints its own (`Error: …`, that
    ///   subcommand's usage line, exit 64), with the message kept on one line.
    static func main() {
        MemoryReuse.enable()  // a tool that allocates strip after strip: keep freed pages (see MemoryReuse)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.map { $0._commandName } + ["help"]
            if !names.contains(first) {
                var message = "imgconv: unknown command '\(OneLine.escaped(first))'"
                if let near = CommandSuggestion.nearest(to: first, among: names) { message += "; did you mean \(near)?" }
                message += "\nRun 'imgconv --help' for the list of commands.\n"
                FileHandle.standardError.write(Data(message.utf8))
                exit(withError: ExitCode(64))
            }
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitWithParserError(error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            let path = (["imgconv"] + commandPath(to: type(of: command))).joined(separator: " ")
            let text = "Error: \(OneLine.escaped(error.message))\nUsage: \(usageString(for: type(of: command)))\n"
                + "  See '\(path) --help' for more information.\n"
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// Exits as `exit(withError:)` does for an error of the argument parser (an unknown option, a bad value, a
    /// `validate()` refusal), except that the error text is put through ``OneLine/escaped(_:)``: an option or value
    /// holding a newline, a carriage return or an escape (`$'--si\ngma'`) stays on the one `Error: …` line instead of
    /// breaking it or overwriting it. `--help` and `--version` (exit 0) are printed as the parser prints them.
    static func exitWithParserError(_ error: Error) -> Never {
        let code = exitCode(for: error)
        guard code != .success else { exit(withError: error) }
        let message = self.message(for: error)
        var text = fullMessage(for: error)
        let escaped = OneLine.escaped(message)
        if escaped != message {
            if let range = text.range(of: message) {
                text.replaceSubrange(range, with: escaped)
            } else {
                // Not found verbatim inside the parser's text: the message alone, on one line.
                text = "Error: \(escaped)\nRun 'imgconv --help' for the list of commands."
            }
        }
        if !text.isEmpty { FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8)) }
        Foundation.exit(code.rawValue)
    }

    /// The subcommand names from the root to `target` (`["kernel", "show"]`).
    static func commandPath(to target: any ParsableCommand.Type, from root: any ParsableCommand.Type = Imgconv.self) -> [String] {
        for sub in root.configuration.subcommands {
            let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
            if sub == target { return [name] }
            let rest = commandPath(to: target, from: sub)
            if !rest.isEmpty { return [name] + rest }
        }
        return []
    }
}

/// The command a mistyped word most likely meant.
enum CommandSuggestion {
    /// The name within edit distance ⌈len/3⌉ (at least 1, at most 3) of `word` with the smallest distance
    /// (insertions, deletions, substitutions and swaps of neighbours each cost 1); a name that starts with
    /// `word` (an abbreviation of 3+ letters) also counts. nil when nothing is that close.
    static func nearest(to word: String, among names: [String]) -> String? {
        let word = word.lowercased()
        let limit = min(max((word.count + 2) / 3, 1), 3)
        let scored = names.map { (name: $0, distance: distance(Array(word), Array($0))) }
        if let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit { return best.name }
        if word.count >= 3, let prefixed = names.first(where: { $0.hasPrefix(word) }) { return prefixed }
        return nil
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
