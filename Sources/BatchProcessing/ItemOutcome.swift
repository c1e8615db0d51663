import Foundation

/// What the per-item closure reports when it succeeds. It reports failure by throwing.
public struct ItemOutcome: Sendable, Hashable {
    /// The size of the written output in bytes; when nil the runner reads it from the file.
    public var outputBytes: Int64?

    /// A success writing `outputBytes` bytes (nil: the runner reads the size from the output file).
    public init(outputBytes: Int64? = nil) {
        self.outputBytes = outputBytes
    }

    /// Success, output size read from the file.
    public static let done = ItemOutcome()
}

/// Processes one item: reads `item.input`, writes `item.output` atomically (write to a temporary
/// file registered with `TemporaryFileRegistry`, then rename), and throws on failure.
/// The output's folder exists when it is called. It runs on several threads at once.
public typealias BatchProcess = @Sendable (BatchItem) throws -> ItemOutcome

/// The one-line reason for a failure: the error's description, newlines turned into spaces.
/// A `LocalizedError`'s `errorDescription` wins over the description.
func failureReason(_ error: any Error) -> String {
    let text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
}
