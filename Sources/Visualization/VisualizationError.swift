/// Why a picture could not be drawn: a plain sentence naming the numbers involved.
public struct VisualizationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
