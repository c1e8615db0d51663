/// Why a picture could not be drawn: a plain sentence naming the numbers involved.
package struct VisualizationError: Error, CustomStringConvertible, Sendable, Equatable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
