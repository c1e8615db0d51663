import Foundation

/// The one error type of TensorEngine, by what a caller can change. Each case carries a plain sentence that
/// names the numbers involved.
///
/// Every configuration that PyTorch refuses is refused here too, before any work is done,
/// with a message such as `output would be 0×5: kernel 7 (dilated 7) larger than padded input 6`.
public enum EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter PyTorch refuses: a stride, dilation or group count below 1, negative padding, `same`
    /// padding at a stride above 1, pooling padding above half the kernel, a padding mode that cannot read
    /// enough samples.
    case invalidParameter(String)
    /// Tensors that do not fit together, or a kernel that does not fit the input: the weight's channels against
    /// the input's and the groups, the bias count, an output that would be empty.
    case shapeMismatch(String)
    /// A tensor would hold more than ``TensorShape/maxCount`` values.
    case limitExceeded(String)

    /// A refused parameter (``invalidParameter(_:)``), the common case inside the engine.
    package init(_ description: String) { self = .invalidParameter(description) }

    /// The sentence shown to a person.
    public var description: String {
        switch self {
        case .invalidParameter(let text), .shapeMismatch(let text), .limitExceeded(let text): return text
        }
    }
}

extension EngineError: LocalizedError {
    /// The same sentence as `description`, so that `localizedDescription` shows it.
    public var errorDescription: String? { description }
}
