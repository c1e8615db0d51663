import Dispatch
import Foundation
import Synchronization

/// Runs numbered tasks on a fixed number of threads, each thread taking the next number from a
/// shared counter. So at most `jobs` tasks run at once, and memory stays bounded by what `jobs`
/// tasks hold, however many tasks there are.
enum WorkerPool {
    private final class Counter: Sendable {
        let next = Atomic<Int>(0)
    }

    /// Calls `task(i)` once for each `i` in `0 ..< count`, on `jobs` threads (fewer when there are fewer
    /// tasks), and returns when all threads are done. Before taking a number each thread asks
    /// `shouldStop`; once it says yes, no new task starts, and running ones finish.
    ///
    /// - Returns: how many tasks were started.
    static func run(
        count: Int,
        jobs: Int,
        shouldStop: @escaping @Sendable () -> Bool,
        task: @escaping @Sendable (Int) -> Void
    ) -> Int {
        guard count > 0 else { return 0 }
        let counter = Counter()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, count)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while !shouldStop() {
                    let index = counter.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { return }
                    task(index)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return min(counter.next.load(ordering: .relaxed), count)
    }
}
