import ArgumentParser
import ImageCodecs
import ImagePipeline

/// The options of one filter, apart from files: what a filter command and a pipeline step share.
/// `imgconv blur --sigma 2 in.png out.png` and the pipeline step `"blur --sigma 2"` parse the same type.
protocol FilterStepArguments: ParsableArguments {
    /// The command and step name (`blur`).
    static var stepName: String { get }
    /// The filter with its options, validated.
    func makeStep() throws -> PipelineStep
    /// The files the step reads besides the input (weights, kernel files), named by their options: no output,
    /// report or indices file may be one of them, and their contents are part of a folder run's recipe.
    var filesRead: [AtomicFile.PathUse] { get }
}

extension FilterStepArguments {
    var filesRead: [AtomicFile.PathUse] { [] }

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
