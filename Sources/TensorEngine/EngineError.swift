/// The one error type of TensorEngine: a plain sentence that names the numbers involved.
///
/// Every configuration that PyTorch refuses is refused here too, before any work is done,
/// with a message such as `output would be 0×5: kernel 7 (dilated 7) larger than padded input 6`.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The sentence shown to a person.
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
