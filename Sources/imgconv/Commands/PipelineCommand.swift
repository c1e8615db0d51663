import ArgumentParser
import ImagePipeline

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run several filters in a row on one image (or folder), with no intermediate files.",
        discussion: """
        Each STEP is one quoted argument: a filter name and its options, exactly as that command takes them \
        (without files): \(FilterCatalog.nameList); `imgconv NAME --help` describes each. Quote values with \
        spaces in single quotes inside the step. Every step is checked against the shape it will receive before \
        any pixel is touched.

        Examples:
          imgconv pipeline photo.jpg out.png "blur --sigma 2" "maxpool --kernel-size 2" edge
          imgconv pipeline in.png out.png "conv --kernel '1 2 1; 2 4 2; 1 2 1' --normalize --padding same" "sharpen --amount 2"
          imgconv pipeline photos/ small-edges/ "avgpool --kernel-size 4" "edge --operator scharr"
        """
    )

    @OptionGroup var files: TwoFileArguments

    @Argument(help: "Filter steps, each quoted: \"blur --sigma 2\".")
    var steps: [String]

    @OptionGroup var runOptions: RunOptions

    func validate() throws {
        guard !steps.isEmpty else { throw ValidationError("Give at least one step, e.g. \"blur --sigma 2\".") }
        _ = try parsedSteps()
    }

    /// Each step's words parsed by that filter's own argument type.
    func parsedSteps() throws -> [any FilterStepArguments] {
        try steps.enumerated().map { index, text in
            do {
                return try FilterCatalog.parseStep(text).arguments
            } catch {
                throw ValidationError("Step \(index + 1) '\(text)': \(Diagnostics.text(for: error))")
            }
        }
    }

    func run() throws {
        try runOptions.execute(steps: try parsedSteps(), files: files.operands)
    }
}

/// Splits a step into words as a shell would for simple cases: spaces separate, single or double quotes group.
enum ShellWords {
    static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch == " " || ch == "\t" || ch == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if quote != nil { throw ValidationError("Unbalanced quote in step '\(text)'.") }
        if inWord { words.append(current) }
        return words
    }
}
