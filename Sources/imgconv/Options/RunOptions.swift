import ArgumentParser
import BatchProcessing
import Foundation
import ImageCodecs
import ImagePipeline
import FileNames

/// Reading, writing and reporting options shared by every command that turns files into files,
/// and the one place that runs a pipeline on them.
struct RunOptions: ParsableArguments {
    @OptionGroup(title: "Reading") var decoding: DecodeOptionGroup
    @OptionGroup(title: "Writing") var encoding: EncodeOptionGroup

    @OptionGroup(title: "Folders") var batch: BatchOptionGroup

    @Flag(name: .shortAndLong, help: "Report each step's parameters, the path it took and how many values were clipped.")
    var verbose = false

    /// Builds the pipeline from parsed steps (validating every step first: a refused value exits 64, see
    /// ``Diagnostics/validatingOptions(_:)``) and runs it on the files (`-` standing for standard input or
    /// output), on several input files into a folder, or on every image of a folder.
    func execute(steps: [any FilterStepArguments], files: FileOperands) throws {
        let job = try Diagnostics.validatingOptions {
            FileJob(pipeline: Pipeline(try steps.map { try $0.makeStep() }),
                    decodeOptions: decoding.decodeOptions, encodeOptions: try encoding.encodeOptions())
        }
        let work: @Sendable (ImageSource, ImageDestination) throws -> FileJobReport = { try job.run(input: $0, output: $1) }
        let stepFiles = steps.flatMap(\.filesRead)
        let recipe = { RecipeText.recipe(steps: steps, decoding: decoding, encoding: encoding) }
        if files.hasSeveralInputs {
            if files.inputs.contains("-") || files.output == "-" {
                throw ValidationError("With several inputs, give them and the output folder as paths, not -.")
            }
            if batch.filesFrom != nil { throw ValidationError("Give several inputs or --files-from, not both.") }
            try Diagnostics.exitingOnFailure { try ensureDistinctPaths(files: files, isBatch: true, reads: stepFiles) }
            return try runBatch(work, files: files, recipe: recipe(), filesRead: stepFiles.map(\.path))
        }
        let isBatch = try Diagnostics.exitingOnFailure {
            try BatchInput.isFolderJob(input: files.input, output: files.output, hasFileList: batch.filesFrom != nil)
        }
        try Diagnostics.exitingOnFailure { try ensureDistinctPaths(files: files, isBatch: isBatch, reads: stepFiles) }
        if isBatch { return try runBatch(work, files: files, recipe: recipe(), filesRead: stepFiles.map(\.path)) }
        if let flag = batch.folderOnlyFlagsGiven(writingToStandardOutput: files.output == "-").first {
            let hint = flag == "--format" ? " (the output's extension picks the format of one file)" : ""
            throw ValidationError("\(flag) applies to folder runs only (IN a folder, several inputs, or --files-from); \(files.input) is one file\(hint).")
        }

        let destination = try singleFileDestination(files.output)
        if batch.dryRun { return try Self.listDryRun(files) }
        try Diagnostics.exitingOnFailure {
            let report = try work(ImageSource(argument: files.input), destination)
            printWarnings(report.warnings)
            if verbose {
                report.notes.forEach { Diagnostics.printNotice("\(files.input): \($0)") }
                let s = report.outputShape
                Diagnostics.printNotice("\(destination.name): wrote (\(s.n), \(s.c), \(s.h), \(s.w))")
            }
        }
    }

    /// The one path rule (`AtomicFile.ensureDistinct(reads:writes:)`) for this command: a single-file run
    /// never writes its output over the input or a file a step reads; a folder run never writes its report
    /// over the file list or a file a step reads (the planner checks the report against every input).
    /// Standard input and output (`-`) are no paths.
    private func ensureDistinctPaths(files: FileOperands, isBatch: Bool, reads: [AtomicFile.PathUse]) throws {
        if isBatch {
            var batchReads = reads
            if let list = batch.filesFrom, list != "-" { batchReads.append(.init("--files-from list", list)) }
            try AtomicFile.ensureDistinct(reads: batchReads, writes: batch.report.map { [.init("--report file", $0)] } ?? [])
        } else {
            let input: [AtomicFile.PathUse] = files.input == "-" ? [] : [.init("input", files.input)]
            let output: [AtomicFile.PathUse] = files.output == "-" ? [] : [.init("output", files.output)]
            try AtomicFile.ensureDistinct(reads: input + reads, writes: output)
        }
    }

    /// OUT of a single-file run: `-` is standard output, whose format `--format` must name.
    private func singleFileDestination(_ output: String) throws -> ImageDestination {
        guard output == "-" else { return .file(output) }
        guard let name = batch.format, let format = ImageFormat(formatName: name) else {
            throw ValidationError("Writing to standard output (-) needs --format png, jpg or npy.")
        }
        return .standardOutput(format)
    }



    /// Library warnings: benign ones (``CodecWarning``) only with --verbose, none with --quiet.
    func printWarnings(_ warnings: [String]) { Self.printWarnings(warnings, quiet: batch.quiet, verbose: verbose) }

    static func printWarnings(_ warnings: [String], quiet: Bool, verbose: Bool) {
        for warning in warnings where !quiet && (verbose || !CodecWarning.isBenign(warning)) {
            Diagnostics.printNotice(warning)
        }
    }

    /// `--dry-run` on one file: says what would be written, as a folder run lists it, and writes nothing
    /// (an input that cannot be read is reported as a failure, exit 1).
    static func listDryRun(_ files: FileOperands) throws {
        try Diagnostics.exitingOnFailure {
            guard files.input == "-" || FileManager.default.isReadableFile(atPath: files.input) else {
                throw ImageCodecError.cannotRead(path: files.input, reason: "cannot be read")
            }
            print("process \(files.input) -> \(files.output)")
        }
    }

    private func runBatch(_ work: @escaping @Sendable (ImageSource, ImageDestination) throws -> FileJobReport, files: FileOperands,
                          recipe: Recipe, filesRead: [String]) throws {
        let verbose = self.verbose, quiet = batch.quiet
        var options = try Diagnostics.exitingOnFailure { try batch.options() }
        options.recipe = recipe
        options.filesRead = filesRead
        TemporaryFileRegistry.shared.addCleanup { AtomicFile.removeTemporaryFilesInFlight() }
        let summary = try Diagnostics.exitingOnFailure {
            let runner = BatchRunner(options: options)
            let process: BatchProcess = { item in

                let report: FileJobReport
                do {
                    report = try work(.file(item.input), .file(item.output))
                } catch {
                    // The runner prints "input: reason"; library errors already start with the input's path.
                    let text = Diagnostics.text(for: error)
                    let prefix = item.input + ": "
                    throw PipelineError.failed(path: item.input, reason: text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
                }
                RunOptions.printWarnings(report.warnings, quiet: quiet, verbose: verbose)
                if verbose { report.notes.forEach { Diagnostics.printNotice("\(item.input): \($0)") } }
                return .done
            }
            return files.hasSeveralInputs
                ? try runner.run(inputFiles: files.inputs, outputRoot: files.output, process: process)
                : try runner.run(inputRoot: files.input, outputRoot: files.output, process: process)
        }
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
}
