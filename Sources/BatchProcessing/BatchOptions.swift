import Foundation

/// How progress is shown on standard error while a batch runs.
///
/// Failures (`path: reason`) are printed in every mode, and the summary line in every mode unless
/// `BatchOptions.quiet` is set.
public enum ProgressMode: String, Sendable, Hashable, CaseIterable {
    /// `line` when standard error is a terminal, else `none`: a pipeline's log gets only failures
    /// and the summary, not one line per file.
    case auto
    /// One line, rewritten in place: `done/total, rate img/s, ETA, failures`. For terminals.
    case line
    /// One line per finished file: `done/total ok path`. For logs that want every file.
    case plain
    /// No progress; failures and the summary only.
    case none
}

/// Everything a batch run can be told. The CLI maps its flags onto these fields one to one.
public struct BatchOptions: Sendable {
    /// Enter subfolders of the input folder (`true` by default).
    public var recursive: Bool
    /// `--include` patterns, matched with `fnmatch(3)` (case-sensitive, `*` also matching `/`) against each input's
    /// path relative to the input folder **or** its file name: an input is kept when it matches at least one
    /// (or there are none) and no ``exclude`` pattern. Tried on files only: every folder is entered.
    public var include: [String]
    /// `--exclude` patterns, matched as ``include``'s; also tried on folders while scanning, so a folder that
    /// matches is not entered (`raw` leaves out every folder named `raw`).
    public var exclude: [String]
    /// `--files-from`: a file with one input path per line, or `-` for standard input.
    /// Relative lines are taken from the input folder when the input is a folder, else from the current folder.
    public var filesFrom: String?
    /// The outputs' extension without the dot (`png`, `jpg`, `npy`), or nil to keep each input's name.
    public var outputFormatExtension: String?
    /// Process inputs even when their output is up to date: when its record in `OUT/.imgconv-recipes` says it was
    /// made by ``recipe`` from the input as it is now (same relative path, size and modification time) and the
    /// output is unchanged since. Default false.
    public var overwrite: Bool
    /// How many images are processed at once, at least 1. Defaults to the active processor count.
    public var jobs: Int
    /// How progress is shown.
    public var progress: ProgressMode
    /// No progress and no summary line; failures are still printed.
    public var quiet: Bool
    /// List what would be done on standard output and touch nothing (no folders, no report file).
    public var dryRun: Bool
    /// `--report`: a JSON Lines file with one object per input, written as each one finishes.
    public var reportPath: String?
    /// `--shard K/N`: only the inputs of this shard.
    public var shard: ShardSpec?
    /// What makes the outputs (see `Recipe`): an output is skipped as up to date only when its record names
    /// this recipe.
    public var recipe: Recipe
    /// The other files the command reads (weights, kernel files): no output and no report may be one of them.
    public var filesRead: [String]

    /// The options; by default a recursive scan of every image, outputs named as their inputs, no overwriting of
    /// up-to-date outputs, one job per active processor, ``ProgressMode/auto``, no report, no shard and an empty
    /// recipe. Nothing is checked here: ``validate()`` and the runs check the options.
    public init(
        recursive: Bool = true,
        include: [String] = [],
        exclude: [String] = [],
        filesFrom: String? = nil,
        outputFormatExtension: String? = nil,
        overwrite: Bool = false,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: ProgressMode = .auto,
        quiet: Bool = false,
        dryRun: Bool = false,
        reportPath: String? = nil,
        shard: ShardSpec? = nil,
        recipe: Recipe = Recipe(description: ""),
        filesRead: [String] = []
    ) {
        self.recursive = recursive
        self.include = include
        self.exclude = exclude
        self.filesFrom = filesFrom
        self.outputFormatExtension = outputFormatExtension
        self.overwrite = overwrite
        self.jobs = jobs
        self.progress = progress
        self.quiet = quiet
        self.dryRun = dryRun
        self.reportPath = reportPath
        self.shard = shard
        self.recipe = recipe
        self.filesRead = filesRead
    }

    /// The include and exclude patterns together.
    package var filter: GlobFilter { GlobFilter(include: include, exclude: exclude) }

    /// Throws ``BatchError/invalidOptions(_:)`` when ``jobs`` is below 1 or ``outputFormatExtension`` is empty,
    /// starts with `.` or contains `/`.
    public func validate() throws(BatchError) {
        guard jobs >= 1 else { throw BatchError.invalidOptions("The number of jobs must be at least 1, not \(jobs).") }
        if let ext = outputFormatExtension, ext.isEmpty || ext.contains("/") || ext.hasPrefix(".") {
            throw BatchError.invalidOptions("The output extension must be a plain word like png, not '\(ext)'.")
        }
    }
}
