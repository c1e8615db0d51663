#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`: ``withLock(_:)`` runs its closure with exclusive access.
///
/// The same contract as `Synchronization.Mutex`, used instead of it everywhere in imgconv because
/// ThreadSanitizer does not see the futex that `Mutex` waits on under Linux: it reports every access to a
/// `Mutex`'s value from two threads as a "Swift access race" although none is lost. TSan intercepts
/// `pthread_mutex_lock`/`unlock`, so with this lock `scripts/sanitize thread` reports only real races.
/// Not recursive: calling ``withLock(_:)`` again from inside its closure deadlocks.
public final class Lock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and returns what it returns; the lock is released when `body`
    /// returns or throws.
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
