/// What max pooling returns (``maxPool2d(_:parameters:)``, ``adaptiveMaxPool2d(_:outputSize:returnIndices:)``):
/// the pooled tensor and, when asked for, where each maximum was.
public struct MaxPoolResult: Sendable, Equatable {
    /// The largest sample of every window, (N, C, H_out, W_out).
    public var output: Tensor
    /// With `returnIndices` (PyTorch's `return_indices=True`): for every output element, in NCHW order, the flat
    /// index `y·W + x` of its maximum within its input plane (W the input's width); nil otherwise. With a reading
    /// padding mode, a padded sample's index is that of the input sample it copies, or −1 for a constant.
    public var indices: [Int64]?

    /// A result of `output` and, optionally, `indices` (one per element of `output`).
    public init(output: Tensor, indices: [Int64]? = nil) {
        precondition(indices.map { $0.count == output.shape.count } ?? true, "one index per output element")
        self.output = output
        self.indices = indices
    }
}
