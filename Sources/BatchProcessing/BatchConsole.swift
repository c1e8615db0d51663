import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a batch run writes text: standard output for dry-run listings, standard error for progress,
/// failures and the summary. Tests pass a console that records instead.
public struct BatchConsole: Sendable {
    /// Writes to standard output; the text carries its own newlines.
    public var writeOutput: @Sendable (String) -> Void
    /// Writes to standard error; the text carries its own newlines.
    public var writeError: @Sendable (String) -> Void
    /// Whether standard error is a terminal, which `ProgressMode.auto` turns into `.line`.
    public var errorIsTerminal: Bool

    /// A console of the given writers; `errorIsTerminal` decides what ``ProgressMode/auto`` shows.
    public init(
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        errorIsTerminal: Bool
    ) {
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's standard output and standard error, unbuffered.
    public static var standard: BatchConsole {
        BatchConsole(
            writeOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            errorIsTerminal: isatty(2) == 1
        )
    }
}
