import Testing
@testable import BatchProcessing

@Suite struct ProgressTextTests {
    @Test func progressLine() {
        #expect(ProgressText.line(done: 120, total: 4000, failed: 2, elapsedSeconds: 4)
            == "120/4000  30.0 img/s  ETA 2m10s  2 failed")
        #expect(ProgressText.line(done: 0, total: 10, failed: 0, elapsedSeconds: 0) == "0/10  0.0 img/s  ETA --")
    }

    @Test func durations() {
        #expect(ProgressText.duration(0) == "0s")
        #expect(ProgressText.duration(41.2) == "42s")
        #expect(ProgressText.duration(185) == "3m05s")
        #expect(ProgressText.duration(7620) == "2h07m")
    }

    @Test func summaryLine() {
        let summary = BatchSummary(planned: 12, processed: 10, skippedCounts: [.hidden: 1, .notAnImage: 2],
                                   failures: [BatchFailure(path: "a", reason: "b")], elapsed: .milliseconds(420))
        #expect(ProgressText.summary(summary) == "processed 10, skipped 3 (2 not an image, 1 hidden), failed 1 in 0.4 s")
    }
}
