import ImageFilters
import TensorEngine

/// A named filter of imgconv's catalog (`blur`, `edge`, `maxpool`, …) as a picture runs it: the same filter
/// type, options and geometry defaults as the command of that name, so `visualize --filter blur` draws the
/// 13×13 Gaussian with `same` padding and a reflect border that `imgconv blur` applies.
///
/// The CLI builds it from the filter's own argument type (the catalog's); the picture only asks ``make`` for the
/// filter with its window options (``WindowOverride``) in place of the step's own, as `sweep` does per tile.
package struct PictureFilter: Sendable {
    /// The catalog name (`blur`).
    package var name: String
    /// The filter with `override`'s values replacing the step's own (nil: the step's value).
    package var make: @Sendable (WindowOverride) throws -> Built

    package init(name: String, make: @escaping @Sendable (WindowOverride) throws -> Built) {
        self.name = name
        self.make = make
    }

    /// The window options a picture may give on top of a filter step's (`visualize --filter blur --stride 2`
    /// is the step `blur --stride 2`); nil keeps the step's value.
    package struct WindowOverride: Hashable, Sendable {
        package var stride: Pair?
        package var padding: PaddingSpec?
        package var paddingMode: PaddingMode?
        package var dilation: Pair?

        package init(stride: Pair? = nil, padding: PaddingSpec? = nil, paddingMode: PaddingMode? = nil, dilation: Pair? = nil) {
            self.stride = stride
            self.padding = padding
            self.paddingMode = paddingMode
            self.dilation = dilation
        }

        package var isEmpty: Bool { self == WindowOverride() }
    }

    /// What each output is, for the caption, `--products` and max pooling's boxes.
    package enum Kind: Sendable, Equatable {
        /// `weights ⋆ window` (nil weights: not one weighted sum, e.g. edge's magnitude of two convolutions).
        case convolution(weights: Kernel?)
        case maxPool
        case avgPool
    }

    /// The filter as the command builds it, and the window it slides.
    package struct Built: Sendable {
        package var filter: any ImageFilter
        /// The step's options (value policy, gray, alpha), exactly as the command runs it.
        package var options: FilterOptions
        package var window: SlidingWindow
        /// What the border reads; nil for pooling's own (−∞ for max, zeros for average).
        package var paddingMode: PaddingMode?
        /// How far the border may reach past the input (the named image filters keep reflecting).
        package var paddingReach: PaddingReach
        package var kind: Kind

        package init(filter: any ImageFilter, options: FilterOptions, window: SlidingWindow, paddingMode: PaddingMode?,
                    paddingReach: PaddingReach, kind: Kind) {
            self.filter = filter
            self.options = options
            self.window = window
            self.paddingMode = paddingMode
            self.paddingReach = paddingReach
            self.kind = kind
        }
    }
}

extension PictureFilter.Built {
    /// A filter made of one ``KernelConvolution`` (blur, emboss, identity, conv with a kernel): its window,
    /// border and weights as that convolution applies them.
    /// `weights` are what each output is the weighted sum of: the convolution's kernel by default, nil for a filter
    /// whose output is not one weighted sum (edge's gradient magnitude, sharpen's unsharp mask).
    package init(filter: any ImageFilter, options: FilterOptions, convolution c: KernelConvolution, weights: Kernel?? = .none) throws {
        let g = c.geometry
        self.init(filter: filter, options: options,
                  window: SlidingWindow(kernel: c.kernelSize, stride: g.stride, padding: try g.resolvedPadding(kernelSize: c.kernelSize),
                                        dilation: g.dilation),
                  paddingMode: g.paddingMode, paddingReach: g.paddingReach, kind: .convolution(weights: weights ?? c.kernel))
    }
}
