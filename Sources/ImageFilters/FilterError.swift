import Foundation

/// Why a filter or kernel could not be built, by what a caller can change.
///
/// ``description`` is one plain sentence. Parameters are named as the library names them (`sigma`, `radius`);
/// the `imgconv` tool prints them as its flags (`--sigma`).
public enum FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter of a named filter is out of its range: `name` is the parameter (`sigma`, `box`, `amount`),
    /// `reason` completes the sentence (`must be a positive number, not 0`).
    case invalidParameter(name: String, reason: String)
    /// Values or text that cannot be a kernel: no rows, ragged rows, a weight that is not a finite number, a
    /// header that disagrees with its rows.
    case invalidKernel(reason: String)
    /// Options that cannot go together, or a geometry that does not fit the image (a kernel larger than the
    /// padded image, `same` padding for pooling).
    case invalidGeometry(reason: String)

    /// The sentence shown to a person.
    public var description: String {
        switch self {
        case .invalidParameter(let name, let reason): return "\(name) \(reason)"
        case .invalidKernel(let reason), .invalidGeometry(let reason): return reason
        }
    }
}

extension FilterError: LocalizedError {
    /// The same sentence as `description`, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}
