import ArgumentParser
import Foundation

/// Printing to standard error, and turning library errors into the tool's exit statuses:
/// a failed input prints `FILE: reason` and exits 1; bad usage is the argument parser's (exit 64).
enum Diagnostics {
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("imgconv: " + message + "\n").utf8))
    }

    static func printNotice(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Runs `body`; an error from a library module is printed as one line and becomes exit status 1.
    static func exitingOnFailure<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            printError(String(describing: error))
            throw ExitCode.failure
        }
    }
}
