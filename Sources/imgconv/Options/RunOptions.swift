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
    func execute(steps: [any FilterStepArguments], files: FileArguments) throws {
        let job = try Diagnostics.exitingOnFailure {
            FileJob(pipeline: Pipeline(try steps.map { try $0.makeStep() }),
                    decodeOptions: decoding.decodeOptions, encodeOptions: try encoding.encodeOptions())
        }
        try execute({ try job.run(input: $0, output: $1) }, files: files)
    }

    /// Runs `work` (input, output) → report on one file (`-` standing for standard input or output), or
    /// through the batch runner on a folder.
    func execute(_ work: @escaping @Sendable (ImageSource, ImageDestination) throws -> FileJobReport, files: FileArguments) throws {
        let isBatch = try Diagnostics.exitingOnFailure {
            try BatchInput.isFolderJob(input: files.input, output: files.output, hasFileList: batch.filesFrom != nil)
        }
        if isBatch { return try runBatch(work, files: files) }
        let destination = try singleFileDestination(files.output)
        try Diagnostics.exitingOnFailure {
            let report = try work(ImageSource(argument: files.input), destination)
            report.warnings.forEach(Diagnostics.printNotice)
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

    private func runBatch(_ work: @escaping @Sendable (ImageSource, ImageDestination) throws -> FileJobReport, files: FileArguments) throws {
        let verbose = self.verbose
        let options = try Diagnostics.exitingOnFailure { try batch.options() }
        TemporaryFileRegistry.shared.addCleanup { AtomicFile.removeTemporaryFilesInFlight() }
        let summary = try Diagnostics.exitingOnFailure {
            try BatchRunner(options: options).run(inputRoot: files.input, outputRoot: files.output) { item in
                let report: FileJobReport
                do {
                    report = try work(.file(item.input), .file(item.output))
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
