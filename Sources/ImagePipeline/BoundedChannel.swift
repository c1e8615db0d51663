import Dispatch
import Locking

/// A first-in first-out queue between two threads that holds at most `capacity` elements:
/// ``send(_:)`` waits while it is full, ``receive()`` while it is empty.
final class BoundedChannel<Element: Sendable>: Sendable {
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let items = Lock<[Element]>([])

    init(capacity: Int) {
        free = DispatchSemaphore(value: max(capacity, 1))
    }

    func send(_ element: Element) {
        free.wait()
        items.withLock { $0.append(element) }
        filled.signal()
    }

    func receive() -> Element {
        filled.wait()
        let element = items.withLock { $0.removeFirst() }
        free.signal()
        return element
    }
}
