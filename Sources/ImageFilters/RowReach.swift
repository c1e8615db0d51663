import TensorEngine

/// How far a row-local filter looks up and down. With `stride` s, output row j depends on input rows
/// j·s − `above` … j·s + `below` only, and the filter run on rows t… of an image (t a multiple of s) gives
/// output rows t/s… of the whole-image result, except near the window's own edges. Rows beyond the image
/// come from the padding rule at the image's own top and bottom. Such a filter can run on horizontal strips
/// of an image (each widened by its margin, then cropped back) and give exactly the whole-image result.
///
/// Height-keeping convolutions have s = 1 (`same` padding keeps output row j beside input row j);
/// pooling without padding, dilation or ceil mode has s = the vertical stride, `above` 0 and `below` kH − 1.
public struct RowReach: Hashable, Sendable {
    public var above: Int
    public var below: Int
    public var stride: Int

    public init(above: Int, below: Int, stride: Int = 1) {
        self.above = above
        self.below = below
        self.stride = max(stride, 1)
    }

    /// A per-pixel step: no neighbouring rows.
    public static let none = RowReach(above: 0, below: 0)
}

extension ImageFilter {
    /// nil: the filter is not known to be row-local (pooling, strides, circular padding, dense convolution…),
    /// so it runs on the whole image only.
    public var rowReach: RowReach? { nil }

    /// nil: strips are filtered whole and cropped.
    public func onStrip(_ edges: StripEdges) -> (any ImageFilter)? { nil }
}

extension KernelConvolution {
    /// The rows one output row reads: with stride 1 vertically and a padding that keeps the height,
    /// output row y reads padded rows y + ky·d, i.e. input rows y − top … y − top + d·(kH − 1).
    /// Circular padding reads the opposite edge of the image, so it is not row-local.
    public var rowReach: RowReach? {
        guard geometry.stride.h == 1, geometry.paddingMode != .circular,
              let padding = try? geometry.resolvedPadding(kernelSize: kernelSize) else { return nil }
        let span = geometry.dilation.h * (kernel.rows - 1)
        guard padding.top + padding.bottom == span else { return nil }
        return RowReach(above: padding.top, below: span - padding.top)
    }
}
