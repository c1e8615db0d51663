import ArgumentParser
import BatchProcessing
import Foundation
import ImageCodecs
import ImagePipeline

/// Reading, writing and reporting options shared by every command that turns files into files,
/// and the one place that runs a pipeline on them.
struct RunOptions: ParsableArguments {
    @OptionGroup(title: "Reading") var decoding: DecodeOptionGroup
    @OptionGroup(title: "Writing") var encoding: EncodeOptionGroup

    @OptionGroup(title: "Folders") var batch: BatchOptionGroup

    @Flag(name: .shortAndLong, help: "Report each step's parameters, the path it took and how many values were clipped.")
    var verbose = false

    /// Builds the pipeline from parsed steps (validating every step first: a refused value exits 64, see
    /// ``Diagnostics/validatingOptions(_:)``) and runs it on the files, or on every image of a folder.
    func execute(steps: [any FilterStepArguments], files: FileArguments) throws {
        let isBatch = try Diagnostics.exitingOnFailure {
            try BatchInput.isFolderJob(input: files.input, output: files.output, hasFileList: batch.filesFrom != nil)
        }
        let stepFiles = steps.flatMap(\.filesRead)
        try Diagnostics.exitingOnFailure {
            try ensureDistinctPaths(files: files, isBatch: isBatch, reads: stepFiles)
        }
        let job = try Diagnostics.validatingOptions {
            FileJob(pipeline: Pipeline(try steps.map { try $0.makeStep() }),
                    decodeOptions: decoding.decodeOptions, encodeOptions: try encoding.encodeOptions())
        }
        if isBatch {
            let recipe = RecipeText.recipe(steps: steps, decoding: decoding, encoding: encoding)
            return try runBatch(job.run, files: files, recipe: recipe, filesRead: stepFiles.map(\.path))
        }
        if batch.dryRun { return try Self.listDryRun(files) }
        try runSingle(job.run, files: files)
    }

    /// The one path rule (`AtomicFile.ensureDistinct(reads:writes:)`) for this command: a single-file run
    /// never writes its output over the input or a file a step reads; a folder run never writes its report
    /// over the file list or a file a step reads (the planner checks the report against every input).
    private func ensureDistinctPaths(files: FileArguments, isBatch: Bool, reads: [AtomicFile.PathUse]) throws {
        if isBatch {
            var batchReads = reads
            if let list = batch.filesFrom, list != "-" { batchReads.append(.init("--files-from list", list)) }
            try AtomicFile.ensureDistinct(reads: batchReads, writes: batch.report.map { [.init("--report file", $0)] } ?? [])
        } else {
            try AtomicFile.ensureDistinct(reads: [.init("input", files.input)] + reads, writes: [.init("output", files.output)])
        }
    }

    /// Runs `work` (input, output) → report on one file.
    private func runSingle(_ work: @escaping @Sendable (String, String) throws -> FileJobReport, files: FileArguments) throws {
        try Diagnostics.exitingOnFailure {
            let report = try work(files.input, files.output)
            report.warnings.forEach(Diagnostics.printNotice)
            if verbose {
                report.notes.forEach { Diagnostics.printNotice("\(files.input): \($0)") }
                let s = report.outputShape
                Diagnostics.printNotice("\(files.output): wrote (\(s.n), \(s.c), \(s.h), \(s.w))")
            }
        }
    }

    /// `--dry-run` on one file: says what would be written, as a folder run lists it, and writes nothing
    /// (an input that cannot be read is reported as a failure, exit 1).
    static func listDryRun(_ files: FileArguments) throws {
        try Diagnostics.exitingOnFailure {
            guard FileManager.default.isReadableFile(atPath: files.input) else {
                throw PipelineError("\(files.input): cannot be read")
            }
            print("process \(files.input) -> \(files.output)")
        }
    }

    private func runBatch(_ work: @escaping @Sendable (String, String) throws -> FileJobReport, files: FileArguments,
                          recipe: Recipe, filesRead: [String]) throws {
        let verbose = self.verbose
        var options = try Diagnostics.exitingOnFailure { try batch.options() }
        options.recipe = recipe
        options.filesRead = filesRead
        TemporaryFileRegistry.shared.addCleanup { AtomicFile.removeTemporaryFilesInFlight() }
        let summary = try Diagnostics.exitingOnFailure {
            try BatchRunner(options: options).run(inputRoot: files.input, outputRoot: files.output) { item in
                let report: FileJobReport
                do {
                    report = try work(item.input, item.output)
                } catch {
                    // The runner prints "input: reason"; library errors already start with the input's path.
                    let text = String(describing: error)
                    let prefix = item.input + ": "
                    throw PipelineError(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
                }
                report.warnings.forEach(Diagnostics.printNotice)
                if verbose { report.notes.forEach { Diagnostics.printNotice("\(item.input): \($0)") } }
                return .done
            }
        }
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
}
