/// The words and numbers of progress and summary lines. Pure functions, so that they can be tested.
package enum ProgressText {
    /// The terminal progress line: `120/4000  35.2 img/s  ETA 1m50s  2 failed`.
    /// The rate counts finished items (processed or failed) since the start.
    package static func line(done: Int, total: Int, failed: Int, elapsedSeconds: Double) -> String {
        let rate = elapsedSeconds > 0 ? Double(done) / elapsedSeconds : 0
        let eta = rate > 0 ? duration(Double(total - done) / rate) : "--"
        var text = "\(done)/\(total)  \(oneDecimal(rate)) img/s  ETA \(eta)"
        if failed > 0 { text += "  \(failed) failed" }
        return text
    }

    /// A duration in whole seconds for people: `42s`, `3m05s`, `2h07m`.
    package static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60)
        if hours > 0 { return "\(hours)h" + twoDigits(minutes) + "m" }
        if minutes > 0 { return "\(minutes)m" + twoDigits(secs) + "s" }
        return "\(secs)s"
    }

    /// The summary line: `processed 10, skipped 3 (2 not an image, 1 hidden), failed 1 in 0.4 s`.
    package static func summary(_ summary: BatchSummary) -> String {
        var text = summary.dryRun
            ? "dry run: would process \(summary.planned)"
            : "processed \(summary.processed)"
        text += ", skipped \(summary.skipped)"
        let parts = SkipReason.allCases.compactMap { reason in
            summary.skippedCounts[reason].map { "\($0) \(reason)" }
        }
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        text += ", failed \(summary.failed)"
        if let signal = summary.interruptedBy {
            text += ", unfinished \(summary.unfinished), interrupted by \(signalName(signal))"
        }
        text += " in \(oneDecimal(summary.seconds)) s"
        return text
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
