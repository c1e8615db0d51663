import Foundation
import Locking

/// Shows a run's progress and failures on the console's standard error, from any thread.
///
/// - `.line`: one line rewritten in place (at most ten times a second, and on every failure);
///   a failure is printed on its own line above it.
/// - `.plain`: `done/total ok path` for each processed file, `path: reason` for each failure.
/// - `.none`: `path: reason` for each failure only.
final class ProgressReporter: Sendable {
    private struct State {
        var done = 0
        var failed = 0
        var lineShown = false
        var lastDraw: ContinuousClock.Instant?
    }

    private let mode: ProgressMode
    private let total: Int
    private let console: BatchConsole
    private let start: ContinuousClock.Instant
    private let state = Lock(State())

    /// `mode` must already be resolved: not `.auto`.
    init(mode: ProgressMode, total: Int, console: BatchConsole, start: ContinuousClock.Instant) {
        self.mode = mode
        self.total = total
        self.console = console
        self.start = start
    }

    /// An input that could not be examined before the run; it does not count towards `total`.
    func reportUnreadable(_ failure: BatchFailure) {
        state.withLock { state in
            state.failed += 1
            printAboveLine(OneLine.escaped("\(failure)") + "\n", &state)
        }
    }

    /// An item finished: processed when `failure` is nil, failed otherwise.
    func finished(_ item: BatchItem, failure: BatchFailure?) {
        state.withLock { state in
            state.done += 1
            if let failure {
                state.failed += 1
                printAboveLine(OneLine.escaped("\(failure)") + "\n", &state)
            } else if mode == .plain {
                console.writeError("\(state.done)/\(total) ok \(OneLine.escaped(item.input))\n")
            }
            if mode == .line { drawLine(&state, force: failure != nil || state.done == total) }
        }
    }

    /// A message of its own, such as the notice that the run is stopping.
    func note(_ message: String) {
        state.withLock { state in printAboveLine(OneLine.escaped(message) + "\n", &state) }
    }

    /// Leaves the progress line (if any) as it is and moves below it.
    func close() {
        state.withLock { state in
            if state.lineShown {
                drawLine(&state, force: true)
                console.writeError("\n")
                state.lineShown = false
            }
        }
    }

    private func printAboveLine(_ text: String, _ state: inout State) {
        if state.lineShown { console.writeError("\r\u{1B}[K") }
        console.writeError(text)
        if state.lineShown { drawLine(&state, force: true) }
    }

    private func drawLine(_ state: inout State, force: Bool) {
        let now = ContinuousClock.now
        if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return }
        state.lastDraw = now
        let elapsed = now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let text = ProgressText.line(done: state.done, total: total, failed: state.failed, elapsedSeconds: seconds)
        console.writeError("\r\u{1B}[K" + text)
        state.lineShown = true
    }
}
