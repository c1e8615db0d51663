import TensorEngine

/// How far a row-local filter looks up and down: output row y depends on input rows y − `above` … y + `below`
/// only, the output is as tall as the input, and rows beyond the image come from the padding rule at the
/// image's own top and bottom. Such a filter can run on horizontal strips of an image (each widened by
/// `above` rows on top and `below` underneath, then cropped back) and give exactly the whole-image result.
public struct RowReach: Hashable, Sendable {
    public var above: Int
    public var below: Int

    public init(above: Int, below: Int) {
        self.above = above
        self.below = below
    }

    /// A per-pixel step: no neighbouring rows.
    public static let none = RowReach(above: 0, below: 0)
}

extension ImageFilter {
    /// nil: the filter is not known to be row-local (pooling, strides, circular padding, dense convolution…),
    /// so it runs on the whole image only.
    public var rowReach: RowReach? { nil }
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
