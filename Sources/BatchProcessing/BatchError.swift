import Foundation

/// Why a folder run could not start, by what a caller can change. Per-file failures are reported in the
/// ``BatchSummary``, not thrown. `description` is one plain sentence.
public enum BatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Options that cannot work: a shard spec, a job count, an output extension, a report path that would
    /// overwrite an input, an output folder that is the input folder or a file.
    case invalidOptions(String)
    /// The input folder (or a listed input) does not exist.
    case notFound(String)
    /// A folder, list, record or report could not be read or written: the system's reason.
    case cannotAccess(String)

    /// The sentence shown to a person.
    public var description: String {
        switch self {
        case .invalidOptions(let text), .notFound(let text), .cannotAccess(let text): return text
        }
    }
}

extension BatchError: LocalizedError {
    /// The same sentence as `description`, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}
