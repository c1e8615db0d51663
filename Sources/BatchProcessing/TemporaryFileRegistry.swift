import Foundation
import Locking
import FileNames

/// The temporary files being written right now, so that an interrupted run can remove them.
///
/// An atomic writer registers its temporary path before creating it and unregisters it after the
/// rename to the final name (or after removing it on failure). When the run is interrupted, or when
/// it ends, `removeAll()` deletes whatever is still registered. A `SIGKILL` cannot be caught: then the
/// temporary files stay, but no final name ever holds a partial file, because only a rename creates it.
public final class TemporaryFileRegistry: Sendable {
    /// The registry the batch runner cleans by default.
    public static let shared = TemporaryFileRegistry()

    private let paths = Lock<Set<String>>([])
    private let cleanups = Lock<[@Sendable () -> [String]]>([])

    /// An empty registry, for a runner that should not touch ``shared`` (tests, embedding).
    public init() {}

    /// Records `path` as in flight.
    public func register(_ path: String) {
        _ = paths.withLock { $0.insert(path) }
    }

    /// Forgets `path`: it was renamed to its final name or removed.
    public func unregister(_ path: String) {
        _ = paths.withLock { $0.remove(path) }
    }

    /// The paths in flight now.
    public var registered: Set<String> {
        paths.withLock { $0 }
    }

    /// Runs `body` with `path` registered, unregistering it afterwards whether `body` throws or not.
    public func whileRegistered<Result>(_ path: String, _ body: () throws -> Result) rethrows -> Result {
        register(path)
        defer { unregister(path) }
        return try body()
    }

    /// Adds a cleanup that ``removeAll()`` also runs, for writers that track their own temporary files
    /// (it returns the paths it deleted).
    public func addCleanup(_ cleanup: @escaping @Sendable () -> [String]) {
        cleanups.withLock { $0.append(cleanup) }
    }

    /// Deletes every registered file that still exists and forgets them all, then runs the added
    /// cleanups. Returns the paths deleted.
    @discardableResult
    public func removeAll() -> [String] {
        let inFlight = paths.withLock { paths in
            defer { paths.removeAll() }
            return paths
        }
        let removed = inFlight.sorted().filter { path in
            FileNameBytes.withPath(path) { unlink($0) } == 0
        }
        return removed + cleanups.withLock { $0 }.flatMap { $0() }
    }
}
