import ArgumentParser
import ImageFilters
import ImagePipeline
import TensorEngine
import Visualization

// How each catalog filter is drawn by visualize, sweep and animate: its argument type builds the filter the
// command builds (`makeStep()`), with the picture's --stride, --padding, --padding-mode and --dilation in
// place of the step's own when given, and the window is read from the filter it built wherever the filter
// shows it (a KernelConvolution's kernel and geometry, a pooling's parameters, a pad's padding).

extension FilterGeometryOptions {
    /// The step's geometry with a picture's window options in place where given.
    mutating func apply(_ override: PictureFilter.WindowOverride) {
        if let stride = override.stride { self.stride = stride }
        if let padding = override.padding { self.padding = padding }
        if let mode = override.paddingMode { paddingMode = mode }
        if let dilation = override.dilation { self.dilation = dilation }
    }
}

extension PictureFilter.Built {
    /// The step's window as its convolution slides it; `weights` as ``PictureFilter/Built/init(filter:options:convolution:weights:)``.
    init(_ step: PipelineStep, convolution: KernelConvolution, weights: Kernel?? = .none) throws {
        try self.init(filter: step.filter, options: step.options, convolution: convolution, weights: weights)
    }
}

/// Why a picture cannot draw a step as built.
private func unexpected(_ step: PipelineStep) -> VisualizationError {
    VisualizationError("\(step.filter.summary) cannot be drawn as one sliding window")
}

/// The named image filters, whose geometry options are a ``FilterGeometryOptions``.
protocol ImageFilterStepArguments: FilterStepArguments, Sendable {
    var geometry: FilterGeometryOptions { get set }
}


extension ImageFilterStepArguments {
    /// The filter ``makeStep()`` builds with the picture's geometry in place, and its window: read from the
    /// filter's KernelConvolution (blur, emboss, identity), else from `window` (sharpen, edge).
    func imagePicture(_ name: String,
                      window: @escaping @Sendable (Self, PipelineStep) throws -> PictureFilter.Built = { _, step in throw unexpected(step) })
        -> PictureFilter {
        PictureFilter(name: name) { override in
            var arguments = self
            arguments.geometry.apply(override)
            let step = try arguments.makeStep()
            let convolution: KernelConvolution? = switch step.filter {
            case let f as BlurFilter: f.convolution
            case let f as EmbossFilter: f.convolution
            case let f as KernelFilter: f.convolution
            default: nil
            }
            if let convolution { return try PictureFilter.Built(step, convolution: convolution) }
            return try window(arguments, step)
        }
    }
}

extension BlurArguments {
    func pictured() -> PictureFilter { imagePicture("blur") }
}

extension EmbossArguments {
    func pictured() -> PictureFilter { imagePicture("emboss") }
}

extension IdentityArguments {
    func pictured() -> PictureFilter { imagePicture("identity") }
}

extension SharpenArguments {
    func pictured() -> PictureFilter {
        imagePicture("sharpen") { arguments, step in
            guard let filter = step.filter as? SharpenFilter else { throw unexpected(step) }
            switch filter.method {
            case .classic:
                return try PictureFilter.Built(step, convolution: filter.convolution)
            case .unsharpMask:
                // The blur it subtracts slides the Gaussian; out = x + amount·(x − blur) is not drawn as one weighted
                // sum (the threshold makes it piecewise).
                return try PictureFilter.Built(step, convolution: filter.convolution, weights: .some(nil))
            }
        }
    }
}

extension EdgeArguments {
    func pictured() -> PictureFilter {
        imagePicture("edge") { arguments, step in
            guard let filter = step.filter as? EdgeFilter else { throw unexpected(step) }
            // The magnitude √(gx² + gy²) (or |response|) is not one weighted sum: no weights to write.
            return try PictureFilter.Built(step, convolution: filter.convolution, weights: .some(nil))
        }
    }
}

extension ConvArguments {
    func pictured() -> PictureFilter {
        PictureFilter(name: "conv") { override in
            var arguments = self
            if let stride = override.stride { arguments.stride = stride }
            if let padding = override.padding { arguments.padding = padding }
            if let mode = override.paddingMode { arguments.paddingMode = mode }
            if let dilation = override.dilation { arguments.dilation = dilation }
            try arguments.validate()
            let step = try arguments.makeStep()
            if let filter = step.filter as? KernelFilter { return try PictureFilter.Built(step, convolution: filter.convolution) }
            throw VisualizationError("conv with a (C_out, C_in/groups, kH, kW) weight is drawn with --weight W.npy (and --groups G), not --filter")
        }
    }
}

extension PoolWindowOptions {
    /// The step's window with a picture's options in place; pooling pads by a number on each side.
    mutating func apply(_ override: PictureFilter.WindowOverride) throws {
        if let stride = override.stride { self.stride = stride }
        if let spec = override.padding {
            guard case .explicit(let pair) = spec else { throw VisualizationError("pooling takes a number for --padding, not \(spec)") }
            padding = pair
        }
        if let mode = override.paddingMode { paddingMode = mode }
    }

    /// The sliding window of a windowed (not adaptive, not ceil-mode) pooling.
    func slidingWindow(dilation: Pair, name: String) throws -> SlidingWindow {
        guard let kernel = kernelSize else {
            throw VisualizationError("\(name) --output-size (adaptive pooling) has windows of varying size: draw it with --kernel-size")
        }
        guard !ceilMode else {
            throw VisualizationError("\(name) --ceil-mode adds windows that start in the padding: it is not drawn; leave --ceil-mode out")
        }
        try Pool2dGeometry.validateWindow(kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: dilation)
        return SlidingWindow(kernel: kernel, stride: stride ?? kernel, padding: Padding(padding), dilation: dilation)
    }
}

extension MaxPoolArguments {
    func pictured() -> PictureFilter {
        PictureFilter(name: "maxpool") { override in
            var arguments = self
            try arguments.window.apply(override)
            if let dilation = override.dilation { arguments.dilation = dilation }
            let window = try arguments.window.slidingWindow(dilation: arguments.dilation, name: "maxpool")
            let step = try arguments.makeStep()
            return PictureFilter.Built(filter: step.filter, options: step.options, window: window, paddingMode: arguments.window.paddingMode,
                                       paddingReach: .pytorch, kind: .maxPool)
        }
    }
}

extension AvgPoolArguments {
    func pictured() -> PictureFilter {
        PictureFilter(name: "avgpool") { override in
            var arguments = self
            try arguments.window.apply(override)
            if let dilation = override.dilation, dilation != Pair(1) {
                throw VisualizationError("average pooling has no dilation (PyTorch's AvgPool2d takes none)")
            }
            if arguments.excludePadding || arguments.divisorOverride != nil {
                throw VisualizationError("avgpool --no-count-include-pad and --divisor-override change the divisor per window: they are not drawn")
            }
            let window = try arguments.window.slidingWindow(dilation: Pair(1), name: "avgpool")
            let step = try arguments.makeStep()
            return PictureFilter.Built(filter: step.filter, options: step.options, window: window, paddingMode: arguments.window.paddingMode,
                                       paddingReach: .pytorch, kind: .avgPool)
        }
    }
}

extension PadArguments {
    func pictured() -> PictureFilter {
        PictureFilter(name: "pad") { override in
            var arguments = self
            if override.stride != nil || override.dilation != nil {
                throw VisualizationError("pad has no stride or dilation: each output is one sample of the padded input")
            }
            if let spec = override.padding {
                switch spec {
                case .explicit(let pair): arguments.padding = Padding(pair)
                case .sides(let sides): arguments.padding = sides
                default: throw VisualizationError("pad takes a number of samples for --padding, not \(spec)")
                }
            }
            if let mode = override.paddingMode { arguments.paddingMode = mode }
            let step = try arguments.makeStep()
            guard let filter = step.filter as? PadFilter else { throw unexpected(step) }
            // Each output is the 1×1 window at its own place in the padded input.
            return PictureFilter.Built(filter: step.filter, options: step.options,
                                       window: SlidingWindow(kernel: Pair(1), stride: Pair(1), padding: filter.padding, dilation: Pair(1)),
                                       paddingMode: filter.mode, paddingReach: .pytorch, kind: .convolution(weights: KernelLibrary.identity))
        }
    }
}
