import Foundation
import Locking
import Synchronization

/// Runs a batch job: plans it (gathers the inputs, applies the patterns, the shard and the up-to-date check,
/// touching nothing), then processes every item on `options.jobs` threads with a caller-supplied closure,
/// reporting progress, failures and a summary.
///
/// The contract:
/// - A failing item (the closure throws) is printed on standard error as `path: reason` and the run
///   goes on. So are inputs that could not be examined while planning.
/// - The output folder and each output's subfolders are created before the closure is called.
/// - After each success, the output's record (one JSON line in `OUT/.imgconv-recipes/RELATIVE_OUTPUT_PATH`) is
///   written, so a re-run with the same recipe skips it and one with another recipe redoes it.
///   The closure writes the output itself, atomically (temporary file, then rename), registering the
///   temporary path with `temporaryFiles` while it exists.
/// - With `reportPath`, one JSON line per input (skipped, failed or processed) is written as soon as
///   it is known, keys sorted, every key present (`null` when absent): `error`, `input_bytes`, `milliseconds`,
///   `output`, `output_bytes`, `path`, `status`.
/// - With `handlesSignals`, the first SIGINT or SIGTERM stops new items from starting; running items
///   finish, registered temporary files are removed, the summary is printed and `run` returns with
///   `exitStatus` 130 (SIGINT) or 143 (SIGTERM). A second signal removes registered temporary files,
///   prints the summary so far and exits the process at once with the same status.
/// - `dryRun` prints `process INPUT -> OUTPUT` and `skip INPUT: REASON` lines on standard output,
///   and creates, writes and removes nothing.
/// - The summary line goes to standard error unless `options.quiet`.
public struct BatchRunner: Sendable {
    /// What to process and how (``BatchOptions``).
    public var options: BatchOptions
    package var console: BatchConsole
    package var temporaryFiles: TemporaryFileRegistry
    package var handlesSignals: Bool

    /// A runner writing to `console` (the process's standard output and error by default), registering temporary
    /// files with `temporaryFiles` (``TemporaryFileRegistry/shared`` by default) and, with `handlesSignals` (the
    /// default), stopping on SIGINT or SIGTERM as described above.
    public init(
        options: BatchOptions,
        console: BatchConsole = .standard,
        temporaryFiles: TemporaryFileRegistry = .shared,
        handlesSignals: Bool = true
    ) {
        self.options = options
        self.console = console
        self.temporaryFiles = temporaryFiles
        self.handlesSignals = handlesSignals
    }

    /// Processes `inputRoot` (a folder, or the base of `options.filesFrom`) into the folder `outputRoot`.
    ///
    /// Throws only when the run cannot start: ``BatchError/notFound(_:)`` for a missing input folder,
    /// ``BatchError/invalidOptions(_:)`` for options out of range (``BatchOptions/validate()``), an output that is a
    /// file or the input folder itself, or a report path that would overwrite an input or output,
    /// ``BatchError/cannotAccess(_:)`` for a file list, output folder or report file that cannot be read or created.
    /// Everything after that is in the returned summary.
    public func run(inputRoot: String, outputRoot: String, process: @escaping BatchProcess) throws(BatchError) -> BatchSummary {
        try run(inputRoot: inputRoot, outputRoot: outputRoot, standardInput: FileList.readStandardInput, process: process)
    }

    /// ``run(inputRoot:outputRoot:process:)`` with `--files-from -` read through `standardInput` (tests).
    package func run(
        inputRoot: String,
        outputRoot: String,
        standardInput: FileList.StandardInput,
        process: @escaping BatchProcess
    ) throws(BatchError) -> BatchSummary {
        let start = ContinuousClock.now
        let plan = try BatchPlanner(options: options).plan(
            inputRoot: inputRoot, outputRoot: outputRoot, standardInput: standardInput)
        if options.dryRun {
            return listDryRun(plan, start: start)
        }
        return try execute(plan, outputRoot: outputRoot, start: start, process: process)
    }

    /// Processes the files `inputFiles` into the folder `outputRoot` (created when missing), each output named
    /// after its input (`outputRoot/NAME`, so same-named inputs from different folders collide and fail); otherwise
    /// as ``run(inputRoot:outputRoot:process:)``: hidden names, inputs inside the output folder, folders,
    /// unreadable files and non-images are skipped or failed and reported.
    public func run(inputFiles: [String], outputRoot: String, process: @escaping BatchProcess) throws(BatchError) -> BatchSummary {
        let start = ContinuousClock.now
        let plan = try BatchPlanner(options: options).plan(inputFiles: inputFiles, outputRoot: outputRoot)
        if options.dryRun {
            return listDryRun(plan, start: start)
        }
        return try execute(plan, outputRoot: outputRoot, start: start, process: process)
    }

    /// Processes an already-made plan into `outputRoot`; `run(inputRoot:outputRoot:process:)` without the planning.
    package func execute(
        _ plan: BatchPlan,
        outputRoot: String,
        start: ContinuousClock.Instant = .now,
        process: @escaping BatchProcess
    ) throws(BatchError) -> BatchSummary {
        try FolderCreation.create(outputRoot, what: "output folder")
        // After the output folder, so that the report may go inside it.
        let report = try options.reportPath.map { path throws(BatchError) in try ReportWriter(path: path) }
        defer { report?.close() }

        let mode = resolvedProgressMode
        let progress = ProgressReporter(mode: mode, total: plan.items.count, console: console, start: start)
        let results = RunResults(plan: plan, start: start)
        for skip in plan.skipped {
            report?.write(ReportEntry(path: skip.input, output: skip.output, status: .skipped,
                                      error: skip.reason.description, inputBytes: skip.inputBytes))
        }
        for failure in plan.unreadable {
            progress.reportUnreadable(failure)
            report?.write(ReportEntry(path: failure.path, output: nil, status: .failed, error: failure.reason))
        }

        let stop = StopRequest()
        let trap = handlesSignals ? SignalTrap { [console, options, temporaryFiles] signal in
            if stop.request(signal) {
                progress.note("Stopping after the images in progress (\(ProgressText.signalName(signal))); interrupt again to stop now.")
            } else {
                temporaryFiles.removeAll()
                progress.close()
                var summary = results.summary(interruptedBy: signal)
                summary.unfinished = plan.items.count - summary.processed - results.itemFailures
                if !options.quiet { console.writeError(ProgressText.summary(summary) + "\n") }
                exit(128 + signal)
            }
        } : nil

        let items = plan.items
        let started = WorkerPool.run(count: items.count, jobs: options.jobs, shouldStop: { stop.isRequested }) { index in
            let item = items[index]
            let itemStart = ContinuousClock.now
            let failure: BatchFailure?
            var outputBytes: Int64?
            do {
                try FolderCreation.create((item.output as NSString).deletingLastPathComponent)
                let outcome = try process(item)
                let outputStatus = FileStatus(path: item.output)
                outputBytes = outcome.outputBytes ?? outputStatus?.size
                if let recordPath = item.recordPath, let inputStatus = item.inputStatus, let outputStatus {
                    // Without the record the output is only redone next time: nothing is lost, so a
                    // failure to write it is not the item's failure.
                    try? OutputRecord(recipe: options.recipe.fingerprint, inputRelativePath: item.relativePath,
                                      input: .init(inputStatus), output: .init(outputStatus))
                        .write(to: recordPath, temporaryFiles: temporaryFiles)
                }
                failure = nil
            } catch {
                failure = BatchFailure(path: item.input, reason: failureReason(error))
            }
            let elapsed = ContinuousClock.now - itemStart
            results.record(failure)
            progress.finished(item, failure: failure)
            report?.write(ReportEntry(
                path: item.input, output: item.output, status: failure == nil ? .ok : .failed,
                error: failure?.reason, inputBytes: item.inputBytes, outputBytes: outputBytes,
                milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15))
        }
        trap?.cancel()
        temporaryFiles.removeAll()
        progress.close()

        var summary = results.summary(interruptedBy: stop.signal)
        summary.unfinished = items.count - started
        if !options.quiet { console.writeError(ProgressText.summary(summary) + "\n") }
        return summary
    }

    /// `options.progress`, with `.auto` decided by whether standard error is a terminal.
    package var resolvedProgressMode: ProgressMode {
        if options.quiet { return .none }
        return switch options.progress {
        case .auto: console.errorIsTerminal ? .line : .none
        case let mode: mode
        }
    }

    private func listDryRun(_ plan: BatchPlan, start: ContinuousClock.Instant) -> BatchSummary {
        var lines = plan.items.map { OneLine.escaped("process \($0.input) -> \($0.output)") + "\n" }
        lines += plan.skipped.map { OneLine.escaped("skip \($0.input): \($0.reason)") + "\n" }
        console.writeOutput(lines.joined())
        for failure in plan.unreadable { console.writeError(OneLine.escaped("\(failure)") + "\n") }
        let summary = BatchSummary(planned: plan.items.count, skippedCounts: plan.skippedCounts,
                                   failures: plan.unreadable, elapsed: .now - start, dryRun: true)
        if !options.quiet { console.writeError(ProgressText.summary(summary) + "\n") }
        return summary
    }
}

/// The first signal that asked the run to stop, shared between the signal queue and the workers.
private final class StopRequest: Sendable {
    private let received = Atomic<Int32>(0)

    /// Records `signal`; true when it is the first request.
    func request(_ signal: Int32) -> Bool {
        received.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent).exchanged
    }

    var isRequested: Bool { received.load(ordering: .sequentiallyConsistent) != 0 }
    var signal: Int32? { isRequested ? received.load(ordering: .sequentiallyConsistent) : nil }
}

/// Counts and failures gathered from the worker threads.
private final class RunResults: Sendable {
    private struct State {
        var processed = 0
        var failures: [BatchFailure]
        var itemFailures = 0
    }

    private let plan: BatchPlan
    private let start: ContinuousClock.Instant
    private let state: Lock<State>

    init(plan: BatchPlan, start: ContinuousClock.Instant) {
        self.plan = plan
        self.start = start
        state = Lock(State(failures: plan.unreadable))
    }

    func record(_ failure: BatchFailure?) {
        state.withLock { state in
            if let failure {
                state.failures.append(failure)
                state.itemFailures += 1
            } else {
                state.processed += 1
            }
        }
    }

    var itemFailures: Int { state.withLock { $0.itemFailures } }

    func summary(interruptedBy signal: Int32?) -> BatchSummary {
        state.withLock { state in
            BatchSummary(planned: plan.items.count, processed: state.processed, skippedCounts: plan.skippedCounts,
                         failures: state.failures, elapsed: .now - start, interruptedBy: signal)
        }
    }
}
