import ArgumentParser
import ImageCodecs
import ImagePipeline
import Visualization

/// The options of one filter, apart from files: what a filter command, a pipeline step and a picture's
/// `--filter` share. `imgconv blur --sigma 2 in.png out.png`, the pipeline step `"blur --sigma 2"` and
/// `visualize --filter "blur --sigma 2"` parse the same type. Its name and help are its ``FilterCatalog`` entry.
protocol FilterStepArguments: ParsableArguments {
    /// The filter with its options, validated.
    func makeStep() throws -> PipelineStep
    /// The files the step reads besides the input (weights, kernel files), named by their options: no output,
    /// report or indices file may be one of them, and their contents are part of a folder run's recipe.
    var filesRead: [AtomicFile.PathUse] { get }
    /// The same filter as `visualize`, `sweep` and `animate` draw it: ``makeStep()``'s filter and options, with
    /// the picture's window options in place of the step's own, and the window it slides (see FilterPictures.swift).
    func pictured() -> PictureFilter
}

extension FilterStepArguments {
    var filesRead: [AtomicFile.PathUse] { [] }

    /// The subcommand that runs this filter on files, unless its catalog entry names another.
    static var defaultCommand: any ParsableCommand.Type { FilterCommand<Self>.self }

    /// Parses a pipeline step's words (without the step name) as this filter's options.
    /// Errors are ArgumentParser's own messages, e.g. "Unknown option '--sgma'".
    static func parseStep(_ words: [String]) throws -> any FilterStepArguments {
        do {
            return try parse(words)
        } catch {
            throw ValidationError(message(for: error))
        }
    }
}
