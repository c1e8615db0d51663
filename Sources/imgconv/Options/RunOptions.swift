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

    /// Builds the pipeline from parsed steps (validating every step first) and runs it on the files,
    /// or on every image of a folder.
    func execute(steps: [any FilterStepArguments], files: FileOperands) throws {
        let job = try Diagnostics.exitingOnFailure {
            FileJob(pipeline: Pipeline(try steps.map { try $0.makeStep() }),
                    decodeOptions: decoding.decodeOptions, encodeOptions: try encoding.encodeOptions())
        }
        try execute({ try job.run(input: $0, output: $1) }, files: files)
    }

    /// Runs `work` (input, output) → report on one file (`-` standing for standard input or output), or
    /// through the batch runner on a folder.
    func execute(_ work: @escaping @Sendable (ImageSource, ImageDestination) throws -> FileJobReport, files: FileOperands) throws {
        if files.hasSeveralInputs {
            if files.inputs.contains("-") || files.output == "-" {
                throw ValidationError("With several inputs, give them and the output folder as paths, not -.")
            }
            if batch.filesFrom != nil { throw ValidationError("Give several inputs or --files-from, not both.") }
            return try runBatch(work, files: files)
        }
        let isBatch = try Diagnostics.exitingOnFailure {
            try BatchInput.isFolderJob(input: files.input, output: files.output, hasFileList: batch.filesFrom != nil)
        }
        if isBatch { return try runBatch(work, files: files) }
        if let flag = batch.folderOnlyFlagsGiven(writingToStandardOutput: files.output == "-").first {
            let hint = flag == "--format" ? " (the output's extension picks the format of one file)" : ""
            throw ValidationError("\(flag) applies to folder runs only (IN a folder, several inputs, or --files-from); \(files.input) is one file\(hint).")
        }
        let destination = try singleFileDestination(files.output)
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

    private func runBatch(_ work: @escaping @Sendable (ImageSource, ImageDestination) throws -> FileJobReport, files: FileOperands) throws {
        let verbose = self.verbose, quiet = batch.quiet
        let options = try Diagnostics.exitingOnFailure { try batch.options() }
        TemporaryFileRegistry.shared.addCleanup { AtomicFile.removeTemporaryFilesInFlight() }
        let summary = try Diagnostics.exitingOnFailure {
            let runner = BatchRunner(options: options)
            let process: BatchProcess = { item in
                let report: FileJobReport
                do {
                    report = try work(.file(item.input), .file(item.output))
                } catch {
                    // The runner prints "input: reason"; library errors already start with the input's path.
                    let text = String(describing: error)
                    let prefix = item.input + ": "
                    throw PipelineError(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
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
