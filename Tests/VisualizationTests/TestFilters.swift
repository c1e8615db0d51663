import ImageFilters
import TensorEngine
import Visualization

/// Catalog-like filters for the library's tests, built from the filter types as the CLI's catalog builds
/// them, but with PyTorch's geometry defaults (padding 0, zeros) so that the expected sizes stay simple.
/// The CLI's own catalog filters are tested through the binary (CLITests/FilterCatalogTests).
enum TestFilters {
    static func geometry(_ o: PictureFilter.WindowOverride) -> FilterGeometry {
        FilterGeometry(stride: o.stride ?? Pair(1), padding: o.padding ?? .explicit(Pair(0)), paddingMode: o.paddingMode ?? .zeros,
                       dilation: o.dilation ?? Pair(1), paddingReach: .pytorch)
    }

    static let options = FilterOptions(alphaMode: .drop, lastChannelIsAlpha: false)

    /// BlurFilter's n × n box.
    static func box(_ size: Int) -> PictureFilter {
        PictureFilter(name: "blur") { o in
            let filter = try BlurFilter(.box(size: size), geometry: geometry(o))
            return try PictureFilter.Built(filter: filter, options: options, convolution: filter.convolution)
        }
    }

    /// EdgeFilter's Sobel magnitude: a 3×3 window that is not one weighted sum.
    static let edge = PictureFilter(name: "edge") { o in
        let g = geometry(o)
        return PictureFilter.Built(filter: try EdgeFilter(geometry: g), options: options,
                                   window: SlidingWindow(kernel: Pair(3), stride: g.stride, padding: try g.resolvedPadding(kernelSize: Pair(3)), dilation: g.dilation),
                                   paddingMode: g.paddingMode, paddingReach: g.paddingReach, kind: .convolution(weights: nil))
    }
}
