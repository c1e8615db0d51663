import ArgumentParser
import BatchProcessing
import Foundation
import ImageCodecs
import ImageFilters
import ImagePipeline

/// Printing to standard error, and turning library errors into the tool's exit statuses:
///
/// - an invalid option value is a usage error: the argument parser's style (`Error: …`, the usage line)
///   and exit status 64, whether the parser caught it or the library did (``validatingOptions(_:)``);
/// - a failed input file prints `imgconv: FILE: reason` and exits 1 (``exitingOnFailure(_:)``).
///
/// Every line goes through ``OneLine/escaped(_:)``, so a file name with a newline or a carriage return
/// cannot break or overwrite a line.
enum Diagnostics {
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("imgconv: " + OneLine.escaped(message) + "\n").utf8))
    }

    static func printNotice(_ message: String) {
        FileHandle.standardError.write(Data((OneLine.escaped(message) + "\n").utf8))
    }

    /// An error as the tool prints it: the library's sentence, plus a hint naming the option that changes the
    /// outcome where there is one (the library never names a flag).
    static func text(for error: any Error) -> String {
        let text = String(describing: error)
        if case .invalidParameter(let name, let reason)? = error as? FilterError { return "--\(name) \(reason)" }
        if case .limitExceeded(_, let reason)? = error as? PipelineError, reason.hasSuffix("pixel limit") { return text + " (--max-pixels)" }
        guard let codec = error as? ImageCodecError else { return text }
        switch codec {
        case .truncated where codec.reason.hasPrefix("JPEG"):
            return text + "; decode what it holds with --allow-truncated"
        case .limitExceeded(_, .pixels, _):
            return text + " (--max-pixels)"
        case .limitExceeded(_, .heldValues, let reason) where reason.hasPrefix("EXIF orientation"):
            return text + " (--no-auto-orient)"
        default:
            return text
        }
    }

    /// Runs `body`; an error from a library module is printed as one line and becomes exit status 1.
    static func exitingOnFailure<T>(_ body: () throws -> T) throws -> T {
        try run(body, optionsOnly: false)
    }

    /// Runs `body`, which turns option values into library values before any input is read (building the
    /// filter steps, a visualize request, a kernel to show): a refusal by the library (`--sigma 0`, `--box 0`,
    /// `same` padding at stride 2 in `conv`) is an invalid option value, so it becomes a `ValidationError`
    /// (exit 64, the parser's style). Errors about files (`ImageCodecError`: a missing `--weight`, a bad
    /// `--kernel-file`) stay exit 1.
    static func validatingOptions<T>(_ body: () throws -> T) throws -> T {
        try run(body, optionsOnly: true)
    }

    private static func run<T>(_ body: () throws -> T, optionsOnly: Bool) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch where optionsOnly && !(error is ImageCodecError) {
            throw ValidationError(text(for: error))
        } catch {
            printError(text(for: error))
            throw ExitCode.failure
        }
    }
}
