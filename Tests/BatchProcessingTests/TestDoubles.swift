import Foundation
import Locking
@testable import BatchProcessing

/// A console that keeps what is written, for assertions.
final class RecordingConsole: Sendable {
    private let output = Lock("")
    private let error = Lock("")

    var standardOutput: String { output.withLock { $0 } }
    var standardError: String { error.withLock { $0 } }
    var errorLines: [String] { standardError.split(separator: "\n").map(String.init) }

    func console(terminal: Bool = false) -> BatchConsole {
        BatchConsole(
            writeOutput: { text in self.output.withLock { $0 += text } },
            writeError: { text in self.error.withLock { $0 += text } },
            errorIsTerminal: terminal)
    }
}

struct CorruptImage: Error, CustomStringConvertible {
    var description: String { "Not a valid image." }
}

/// The per-item closure tests use: copies the input's bytes to the output, or throws for names
/// starting with `corrupt`. Counts its calls per relative path.
final class CopyProcess: Sendable {
    private let calls = Lock<[String: Int]>([:])

    var callsByPath: [String: Int] { calls.withLock { $0 } }
    var totalCalls: Int { callsByPath.values.reduce(0, +) }

    var process: BatchProcess {
        { item in
            self.calls.withLock { $0[item.relativePath, default: 0] += 1 }
            if PathText.lastComponent(item.input).hasPrefix("corrupt") { throw CorruptImage() }
            let data = try Data(contentsOf: URL(fileURLWithPath: item.input))
            try data.write(to: URL(fileURLWithPath: item.output), options: .atomic)
            return .done
        }
    }
}

extension BatchOptions {
    /// Options for tests: no progress noise unless asked, two jobs.
    static func testing(_ configure: (inout BatchOptions) -> Void = { _ in }) -> BatchOptions {
        var options = BatchOptions(jobs: 2, progress: .none)
        configure(&options)
        return options
    }
}

func runner(_ options: BatchOptions, _ console: RecordingConsole, terminal: Bool = false,
            registry: TemporaryFileRegistry = TemporaryFileRegistry(), signals: Bool = false) -> BatchRunner {
    BatchRunner(options: options, console: console.console(terminal: terminal), temporaryFiles: registry, handlesSignals: signals)
}
