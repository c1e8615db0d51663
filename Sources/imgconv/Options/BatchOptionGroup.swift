import ArgumentParser
import BatchProcessing
import Foundation

extension ProgressMode: ExpressibleByArgument {}

/// Options for folder runs (`imgconv blur photos/ blurred/`, several inputs, `--files-from`); most are errors for a single file.
struct BatchOptionGroup: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Enter subfolders of an input folder (default: yes).")
    var recursive: Bool?

    @Option(help: ArgumentHelp("Only inputs whose relative path or name matches this shell pattern (repeatable).", valueName: "GLOB"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Leave out inputs and folders whose relative path or name matches (repeatable; wins over --include).", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("Read input paths from FILE, one per line, or NUL-separated when the list holds a NUL byte (find -print0); - for standard input. At most 256 MiB. A relative path is relative to IN when IN is a folder (else to the current folder); an absolute one is taken as it is.", valueName: "FILE"), completion: .file())
    var filesFrom: String?

    @Option(help: ArgumentHelp("Output format for a folder run (default: each input's own) or for OUT = - (standard output, where it is required): png, jpg or npy. Inputs that would share an output (a.jpg, a.png with --format png) all fail.", valueName: "png|jpg|npy"), completion: .list(["png", "jpg", "npy"]))
    var format: String?

    @Flag(help: "Redo every input. Default: skip an output that the same recipe (command, options that change the output, weight/kernel file contents, imgconv version) made from the same input, unchanged since (recorded in OUT/.imgconv-recipes), so a re-run only finishes what is missing or changed.")
    var overwrite = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Images processed at once; the default is the number of cores.", valueName: "N"),
            transform: NumberArgument.integer)
    var jobs: Int?

    @Option(help: ArgumentHelp("auto (a live line on a terminal, else nothing), line, plain (one line per file) or none.", valueName: "MODE"))
    var progress: ProgressMode?

    @Flag(name: .shortAndLong, help: "No warnings, no progress and no summary; failures are still printed.")
    var quiet = false

    @Flag(help: "List what would be processed and skipped; write nothing (also for a single file).")
    var dryRun = false

    @Option(help: ArgumentHelp("Write one JSON object per input (path, output, status, error, sizes, milliseconds) to FILE as they finish. FILE must not be an input, lie inside IN (unless inside OUT), or be an existing file other than a report.", valueName: "FILE.jsonl"), completion: .file(extensions: ["jsonl"]))
    var report: String?

    @Option(help: ArgumentHelp("Process only shard K of N (0 ≤ K < N), chosen by a stable hash of each relative path: N machines with K = 0…N−1 cover every file once.", valueName: "K/N"))
    var shard: String?

    /// The one table of folder-only options: each flag's spelling and whether it was given. For a single file
    /// they are usage errors, not silently ignored. `--format` also names the format of standard output,
    /// `--quiet` also silences a single file's warnings, and `--dry-run` on one file prints what it would write
    /// and writes nothing, so none of them is folder-only there.
    func folderOnlyFlagsGiven(writingToStandardOutput: Bool) -> [String] {
        [
            (recursive == nil ? nil : (recursive! ? "--recursive" : "--no-recursive")),
            include.isEmpty ? nil : "--include",
            exclude.isEmpty ? nil : "--exclude",
            format == nil || writingToStandardOutput ? nil : "--format",
            overwrite ? "--overwrite" : nil,
            jobs == nil ? nil : "--jobs",
            progress == nil ? nil : "--progress",
            report == nil ? nil : "--report",
            shard == nil ? nil : "--shard",
        ].compactMap { $0 }
    }

    func validate() throws {
        if let format, !["png", "jpg", "jpeg", "npy"].contains(format.lowercased()) {
            throw ValidationError("--format takes png, jpg or npy, not '\(format)'.")
        }
        do { try options().validate() } catch { throw ValidationError(error.description) }
    }

    func options() throws(BatchError) -> BatchOptions {
        BatchOptions(recursive: recursive ?? true, include: include, exclude: exclude, filesFrom: filesFrom,
                     outputFormatExtension: format?.lowercased(), overwrite: overwrite,
                     jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress ?? .auto, quiet: quiet, dryRun: dryRun, reportPath: report,
                     shard: try shard.map { s throws(BatchError) in try ShardSpec(parsing: s) })
    }
}
