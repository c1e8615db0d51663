/// What a batch run did. `exitStatus` is what the command should exit with.
public struct BatchSummary: Sendable {
    /// Items in the plan (after skips and the shard).
    public var planned: Int
    /// Items processed successfully.
    public var processed: Int
    /// Skipped inputs by reason.
    public var skippedCounts: [SkipReason: Int]
    /// Failed inputs, each with its reason: unreadable ones first, then in the order they finished.
    public var failures: [BatchFailure]
    /// Items not processed because the run was interrupted: never started, or cut off by a second signal.
    public var unfinished: Int
    /// Wall-clock time of the run, planning included.
    public var elapsed: Duration
    /// The signal that stopped the run, if one did.
    public var interruptedBy: Int32?
    /// Whether this was a dry run (nothing processed).
    public var dryRun: Bool

    /// A summary as given; all counts 0, no failures, no time, not interrupted and not a dry run by default.
    public init(planned: Int = 0, processed: Int = 0, skippedCounts: [SkipReason: Int] = [:], failures: [BatchFailure] = [],
                unfinished: Int = 0, elapsed: Duration = .zero, interruptedBy: Int32? = nil, dryRun: Bool = false) {
        self.planned = planned
        self.processed = processed
        self.skippedCounts = skippedCounts
        self.failures = failures
        self.unfinished = unfinished
        self.elapsed = elapsed
        self.interruptedBy = interruptedBy
        self.dryRun = dryRun
    }

    /// Inputs skipped, over every ``SkipReason``.
    public var skipped: Int { skippedCounts.values.reduce(0, +) }
    /// Inputs that failed, `failures.count`.
    public var failed: Int { failures.count }
    /// ``elapsed`` in seconds.
    public var seconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// 128 + the signal when interrupted (130 for SIGINT, 143 for SIGTERM); else 1 when any input
    /// failed; else 0. (2, a usage error, is the command line's to raise.)
    public var exitStatus: Int32 {
        if let interruptedBy { return 128 + interruptedBy }
        return failures.isEmpty ? 0 : 1
    }
}
