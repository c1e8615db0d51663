/// What a batch run will do: the items to process, in relative-path order, and what it leaves out.
package struct BatchPlan: Sendable {
    /// Inputs to process, sorted by `relativePath`.
    package var items: [BatchItem]
    /// Inputs left out on purpose, with their reasons, sorted by `relativePath`.
    package var skipped: [SkippedInput]
    /// Inputs or folders that could not be examined (unreadable, missing `--files-from` entries).
    /// The run reports them as failures.
    package var unreadable: [BatchFailure]

    package init(items: [BatchItem] = [], skipped: [SkippedInput] = [], unreadable: [BatchFailure] = []) {
        self.items = items
        self.skipped = skipped
        self.unreadable = unreadable
    }

    /// How many inputs were skipped for `reason`.
    package func skippedCount(_ reason: SkipReason) -> Int {
        skipped.count { $0.reason == reason }
    }

    /// Skipped counts by reason, leaving out reasons with none.
    package var skippedCounts: [SkipReason: Int] {
        Dictionary(grouping: skipped, by: \.reason).mapValues(\.count)
    }
}
