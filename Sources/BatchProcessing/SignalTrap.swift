import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches SIGINT and SIGTERM with `DispatchSource.makeSignalSource` while it is installed.
///
/// Installing sets the signals' disposition to ignore (so the default "terminate now" never runs)
/// and calls `handler` on a private serial queue for each one received. `cancel()` restores the
/// default disposition.
final class SignalTrap: Sendable {
    static let interruptAndTerminate: [Int32] = [SIGINT, SIGTERM]

    private let signals: [Int32]
    // Dispatch sources are thread-safe; they are only created here and cancelled in `cancel()`.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = interruptAndTerminate, handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        let queue = DispatchQueue(label: "imgconv.batch.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
