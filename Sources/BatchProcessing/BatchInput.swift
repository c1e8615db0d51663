import Foundation

/// Decides whether a command line names a batch (folder) job or a single-file job.
package enum BatchInput {
    /// Whether `input` → `output` is a batch job: `input` is a folder, or a `--files-from` list is given.
    ///
    /// Throws when it is a batch job but `output` is an existing file rather than a folder, since
    /// a batch writes many files into its output folder.
    package static func isFolderJob(input: String, output: String, hasFileList: Bool = false) throws(BatchError) -> Bool {
        let inputIsFolder = FileStatus(path: input)?.kind == .directory
        guard inputIsFolder || hasFileList else { return false }
        if let outputStatus = FileStatus(path: output), outputStatus.kind != .directory {
            let what = inputIsFolder ? "The input \(input) is a folder" : "A file list is given"
            throw BatchError.invalidOptions("\(what), so the output must be a folder, but \(output) is a file.")
        }
        return true
    }
}
