import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A value that the caller promises is safe to share across the threads of one ``parallelFor(_:body:)``:
/// raw pointers into buffers whose threads write disjoint parts.
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}

/// Calls `body(i)` for every `i` in `0..<count`, spread over the machine's cores.
/// Each call must write only its own part of any shared output.
/// Runs inline when there is a single item, avoiding the dispatch overhead.
@usableFromInline
func parallelFor(_ count: Int, body: @Sendable (Int) -> Void) {
    if count <= 0 { return }
    if count == 1 {
        body(0)
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

/// Calls `body(i, scratch)` for every `i` in `0..<count`, spread over the machine's cores, where `scratch`
/// points to `scratchCount` uninitialised floats that belong to the calling thread (allocated once per thread,
/// not per item). Items are handed out one at a time, so a busy core does not hold the others back.
@usableFromInline
func parallelFor(_ count: Int, scratchCount: Int, body: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
    if count <= 0 { return }
    let workers = min(count, max(1, activeProcessorCount))
    let next = WorkCounter()
    @Sendable func work() {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratchCount))
        defer { scratch.deallocate() }
        while true {
            let item = next.take()
            guard item < count else { return }
            body(item, scratch)
        }
    }
    if workers == 1 { work() } else { DispatchQueue.concurrentPerform(iterations: workers) { _ in work() } }
}

/// Hands out 0, 1, 2, … to whichever thread asks next.
final class WorkCounter: Sendable {
    private let counter = Atomic<Int>(0)
    func take() -> Int { counter.add(1, ordering: .relaxed).oldValue }
}

/// Splits `rows` rows of each of `planes` planes into bands so that there are enough work items
/// to keep every core busy (a few per core) without making items too small. Returns the band height.
@usableFromInline
func bandHeight(rows: Int, planes: Int, workPerRow: Int) -> Int {
    let cores = max(1, activeProcessorCount)
    let targetItems = 4 * cores
    // Below roughly 16k multiply-adds per band, dispatch costs more than it saves.
    let minimumRows = max(1, 16_384 / max(1, workPerRow))
    guard planes < targetItems else { return max(rows, 1) }
    let bandsPerPlane = (targetItems + planes - 1) / planes
    return max(minimumRows, (rows + bandsPerPlane - 1) / max(1, bandsPerPlane), 1)
}

@usableFromInline
let activeProcessorCount: Int = {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 4
    #endif
}()
