/// Why a batch run could not start (bad folders, bad shard spec). Per-file failures are reported, not thrown.
public struct BatchError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
