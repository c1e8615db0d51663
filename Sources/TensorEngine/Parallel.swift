import Dispatch
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
