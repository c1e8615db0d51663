/// One input to process and where its output goes.
public struct BatchItem: Sendable, Hashable {
    /// The input file's path: the input folder joined with `relativePath`, or a `--files-from` line.
    public var input: String
    /// The output file's path: the output folder joined with `relativePath`, extension per `BatchOptions`.
    public var output: String
    /// The input's path relative to the input folder, `/`-separated, without `.` or `..` components.
    /// Shards and include/exclude patterns are decided on it.
    public var relativePath: String
    /// The input's size in bytes when the plan was made.
    public var inputBytes: Int64
    /// The kind of image the input's first bytes announce.
    public var kind: ImageKind
    /// The input's status when the plan was made, and where the output's record goes (see `OutputRecord`);
    /// set by the planner. Without them no record is written.
    var inputStatus: FileStatus?
    var recordPath: String?

    /// An item as given, with no status and so no record; the planner makes the items of a run.
    package init(input: String, output: String, relativePath: String, inputBytes: Int64 = 0, kind: ImageKind = .png) {
        self.input = input
        self.output = output
        self.relativePath = relativePath
        self.inputBytes = inputBytes
        self.kind = kind
    }
}

/// Why an input found by the scan is not processed. None of these is an error.
public enum SkipReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The first bytes are not those of a PNG, JPEG or NPY file.
    case notAnImage = "not an image"
    /// The file or folder name starts with `.`.
    case hidden = "hidden"
    /// A `--files-from` entry that lies inside the output folder (a scan never enters that folder):
    /// an earlier run's output, or a temporary file of one, is never taken as an input.
    case insideOutputFolder = "inside the output folder"
    /// The output's record says the same recipe made it from the input as it is now, and overwriting is off.
    case upToDate = "output is up to date"
    /// The output path is an input file, or lies inside one.
    case outputWouldReplaceInput = "output would replace an input"

    public var description: String { rawValue }
}

/// An input that was left out, and why.
package struct SkippedInput: Sendable, Hashable {
    /// The input's path, as ``BatchItem/input``.
    package var input: String
    /// The input's path relative to the input folder, as ``BatchItem/relativePath``.
    package var relativePath: String
    /// The output it would have had, when that was worked out.
    package var output: String?
    /// Why it was left out.
    package var reason: SkipReason
    /// The input's size in bytes, when known.
    package var inputBytes: Int64?

    /// The skip as given; no output and no size by default.
    package init(input: String, relativePath: String, output: String? = nil, reason: SkipReason, inputBytes: Int64? = nil) {
        self.input = input
        self.relativePath = relativePath
        self.output = output
        self.reason = reason
        self.inputBytes = inputBytes
    }
}

/// An input that failed, and the sentence that says why. Printed as `path: reason`.
public struct BatchFailure: Sendable, Hashable, CustomStringConvertible {
    /// The input's path, or the folder's when a folder could not be listed.
    public var path: String
    /// One sentence on one line (for a failing item, its error's `errorDescription` or description, newlines
    /// made spaces).
    public var reason: String

    /// The failure as given.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
