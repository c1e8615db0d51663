/// Why a filter or kernel could not be built. `description` is a plain sentence a user can act on.
public struct FilterError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
