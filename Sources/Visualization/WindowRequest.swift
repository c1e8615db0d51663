import ImageFilters
import TensorEngine

/// What a picture applies, as the user asked for it: an operation and its window parameters, with nil for
/// "the operation's default". ``resolved()`` turns it into a ``ResolvedOperation`` with PyTorch's rules.
package struct WindowRequest: Sendable {
    /// The operation slid over the input.
    package enum Operation: Sendable {
        /// The input sampled with the window's geometry but not filtered: each output is the window's
        /// centre tap (⌊kH/2⌋, ⌊kW/2⌋), so the picture shows what stride and padding keep.
        case sample
        /// A filter of the catalog (`blur`, `edge`, `maxpool`, …), built by the same argument type and filter
        /// type as the command of that name; its kernel sets the window, its geometry the defaults.
        case filter(PictureFilter)
        /// A user kernel, applied to every channel.
        case kernel(Kernel)
        case maxPool
        case avgPool

        var isMaxPool: Bool { if case .maxPool = self { true } else { false } }
        var isAvgPool: Bool { if case .avgPool = self { true } else { false } }
    }

    package var operation: Operation
    /// nil: 3, 2 for pooling, the kernel's size for a kernel; a filter's kernel sets it (giving one is refused).
    package var kernelSize: Pair?
    /// nil: 1 for convolution, the window for pooling (PyTorch's defaults); a filter's own.
    package var stride: Pair?
    /// nil: 0; a filter's own (`same` for the named image filters).
    package var padding: PaddingSpec?
    /// nil: zeros for convolution; for pooling the engine's own (−∞ for max, 0 for average); a filter's own.
    package var paddingMode: PaddingMode?
    /// nil: 1; a filter's own.
    package var dilation: Pair?
    /// True convolution: the kernel rotated by 180° before it slides (`--kernel` only; a filter step flips
    /// with its own option, `conv --kernel … --flip`).
    package var flip: Bool

    package init(operation: Operation = .sample, kernelSize: Pair? = nil, stride: Pair? = nil,
                padding: PaddingSpec? = nil, paddingMode: PaddingMode? = nil, dilation: Pair? = nil,
                flip: Bool = false) {
        self.flip = flip
        self.operation = operation
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.paddingMode = paddingMode
        self.dilation = dilation
    }

    var isPooling: Bool { operation.isMaxPool || operation.isAvgPool }

    /// What the border reads when no --padding-mode is given, for a label: −∞ for max pooling, the step's own for a filter, else zeros.
    var defaultPaddingName: String {
        switch operation {
        case .maxPool: "−∞"
        case .filter(let f): "\(f.name)'s own"
        default: "zeros"
        }
    }

    /// Checks the parameters and fixes every default.
    package func resolved() throws -> ResolvedOperation {
        if case .filter(let filter) = operation { return try resolved(filter) }
        let kernel = try resolvedKernelSize()
        let dilation = self.dilation ?? Pair(1)
        for (name, pair) in [("--kernel-size", kernel), ("--dilation", dilation)] + (stride.map { [("--stride", $0)] } ?? []) {
            guard pair.h >= 1, pair.w >= 1 else { throw VisualizationError("\(name) must be at least 1, not \(pair)") }
        }
        let stride = self.stride ?? (isPooling ? kernel : Pair(1))
        if flip {
            guard case .kernel = operation else {
                throw VisualizationError("--flip rotates a kernel by 180°: it takes --kernel (a filter step flips with its own option: --filter \"conv --kernel emboss --flip\")")
            }
        }
        let paddingSpec = self.padding ?? .explicit(Pair(0))
        let padding: Padding
        if isPooling {
            guard case .explicit(let pair) = paddingSpec else {
                throw VisualizationError("pooling takes a number for --padding, not \(paddingSpec)")
            }
            do {
                try Pool2dGeometry.validateWindow(kernel: kernel, stride: stride, padding: pair, dilation: dilation)
            } catch let error as EngineError {
                throw VisualizationError(error.description)
            }
            if operation.isAvgPool && dilation != Pair(1) {
                throw VisualizationError("average pooling has no dilation (PyTorch's AvgPool2d takes none)")
            }
            padding = Padding(pair)
        } else {
            do {
                padding = try paddingSpec.resolved(kernel: kernel, dilation: dilation, stride: stride)
            } catch let error as EngineError {
                throw VisualizationError(error.description)
            }
        }
        let window = SlidingWindow(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        return ResolvedOperation(request: self, window: window, built: nil)
    }

    /// A catalog filter: its own window, with this request's stride, padding, padding mode and dilation in place
    /// of the step's where given.
    private func resolved(_ filter: PictureFilter) throws -> ResolvedOperation {
        if let kernelSize {
            throw VisualizationError("\(filter.name)'s kernel sets the window, so --kernel-size \(kernelSize) does not apply; give the filter's own options (--filter \"blur --box 5\") or use --kernel")
        }
        if flip {
            throw VisualizationError("--flip rotates a --kernel; a filter step flips with its own option: --filter \"conv --kernel emboss --flip\"")
        }
        let built = try filter.make(PictureFilter.WindowOverride(stride: stride, padding: padding, paddingMode: paddingMode, dilation: dilation))
        return ResolvedOperation(request: self, window: built.window, built: built)
    }

    private func resolvedKernelSize() throws -> Pair {
        switch operation {
        case .kernel(let k):
            let size = Pair(h: k.rows, w: k.columns)
            if let kernelSize, kernelSize != size {
                throw VisualizationError("--kernel-size \(kernelSize) disagrees with the \(k.rows)×\(k.columns) kernel given")
            }
            return size
        case .maxPool, .avgPool:
            return kernelSize ?? Pair(2)
        case .sample, .filter:
            return kernelSize ?? Pair(3)
        }
    }
}

/// A ``WindowRequest`` with every default fixed: the window, and how to run the operation and draw its padding.
package struct ResolvedOperation: Sendable {
    package let request: WindowRequest
    package let window: SlidingWindow
    /// The catalog filter as built for this window (nil for sampling, `--kernel` and `--pool`).
    package let built: PictureFilter.Built?

    /// Max pooling, from `--pool max` or the catalog's `maxpool`.
    package var isMaxPool: Bool { built.map { $0.kind == .maxPool } ?? request.operation.isMaxPool }
    /// Average pooling, from `--pool avg` or the catalog's `avgpool`.
    package var isAvgPool: Bool { built.map { $0.kind == .avgPool } ?? request.operation.isAvgPool }

    /// What the border reads; nil for pooling's own padding (−∞ for max, zeros for average).
    package var paddingMode: PaddingMode? { built.map(\.paddingMode) ?? request.paddingMode }

    /// How far the border may reach past the input: unlimited for the named image filters, else PyTorch's limits.
    package var paddingReach: PaddingReach { built?.paddingReach ?? .pytorch }

    /// What the padding band holds, for drawing: the chosen mode, else zeros (also for max pooling's
    /// −∞, which no window ever picks; ``paddingNote`` says so).
    package var displayPaddingMode: PaddingMode { paddingMode ?? .zeros }

    /// `zeros` / `reflect` …, or what pooling pads with by default.
    package var paddingDescription: String {
        if let mode = paddingMode { return mode.description }
        if window.padding.isZero { return "none" }
        return isMaxPool ? "−∞ (shown as 0)" : PaddingMode.zeros.description
    }

    /// The weights each window is multiplied by, as applied (after `--flip`): the kernel, the filter's kernel,
    /// or for sampling a one at the centre tap (⌊kH/2⌋, ⌊kW/2⌋). Nil for edge (a magnitude of two
    /// convolutions) and pooling, which are not a weighted sum.
    package var appliedKernel: Kernel? {
        if let built {
            if case .convolution(let weights) = built.kind { return weights }
            return nil
        }
        let k = window.kernel
        let kernel: Kernel? = switch request.operation {
        case .kernel(let given): given
        case .sample: try? Kernel(rows: k.h, columns: k.w, values: (0..<(k.h * k.w)).map { $0 == (k.h / 2) * k.w + k.w / 2 ? 1 : 0 })
        default: nil
        }
        return request.flip ? kernel?.flipped : kernel
    }

    /// The tap max pooling picks for output `position`, in padded coordinates: the first largest value in
    /// row-major order (PyTorch's rule; NaN wins). `padded` holds the padded plane as drawn; without a padding
    /// mode (−∞ padding) taps in the padding band are never picked. Nil for other operations.
    package func winner(of position: GridPoint, padded: Tensor) -> GridPoint? {
        guard isMaxPool else { return nil }
        let pad = window.padding
        var best: (GridPoint, Float)?
        for tap in window.taps(of: position) {
            let inside = tap.row >= pad.top && tap.row < padded.h - pad.bottom && tap.column >= pad.left && tap.column < padded.w - pad.right
            guard inside || paddingMode != nil else { continue }
            let v = padded[0, 0, tap.row, tap.column]
            if let b = best, !(v > b.1 || (v.isNaN && !b.1.isNaN)) { continue }
            best = (tap, v)
        }
        return best?.0
    }

    /// One line naming the operation, e.g. `sample: centre tap of a 3×3 window`; a catalog filter's is the
    /// line `--verbose` prints for its command (`blur: Gaussian σ=2.0, 13×13 kernel, …`).
    package var label: String {
        if let built { return built.filter.summary }
        let k = "\(window.kernel.h)×\(window.kernel.w)"
        switch request.operation {
        case .sample: return "sample: centre tap of a \(k) window"
        case .kernel: return "conv: \(k) kernel" + (request.flip ? ", flipped (true convolution)" : "")
        case .maxPool: return "max pool: \(k) window"
        case .avgPool: return "avg pool: \(k) window"
        case .filter(let filter): return filter.name
        }
    }

    /// Checks that the window fits a plane of `input` and the padding mode can pad it; returns the output size.
    /// For a catalog filter, the size the window gives must be the filter's own output size (the picture
    /// draws only what the filter really computes).
    package func outputSize(input: Pair) throws -> Pair {
        do {
            try displayPaddingMode.validate(window.padding, height: input.h, width: input.w, reach: paddingReach)
        } catch let error as EngineError {
            throw VisualizationError(error.description)
        }
        let out = window.outputSize(input: input)
        guard out.h >= 1, out.w >= 1 else {
            throw VisualizationError("a \(window.kernel.h)×\(window.kernel.w) window with dilation \(window.dilation) does not fit in the \(input.h)×\(input.w) input padded by \(window.padding): the output would be \(out.h)×\(out.w)")
        }
        if let built {
            let shape = try built.filter.outputShape(for: TensorShape(n: 1, c: 1, h: input.h, w: input.w))
            guard shape.h == out.h, shape.w == out.w else {
                throw VisualizationError("\(built.filter.summary) gives a \(shape.h)×\(shape.w) output, not the \(out.h)×\(out.w) its window gives: it cannot be drawn as one sliding window")
            }
        }
        return out
    }

    /// The input padded as the operation pads it, for drawing: the engine's `pad`, or, for a border longer
    /// than the input (the named filters keep reflecting), the engine's convolution with a 1×1 weight of 1
    /// over that padding (the same ``sourceIndex(_:size:mode:)`` rule, with no limit on the reach).
    package func padded(_ input: Tensor) throws -> Tensor {
        let mode = displayPaddingMode, padding = window.padding
        if paddingReach == .pytorch || (try? mode.validate(padding, height: input.h, width: input.w)) != nil {
            return try pad(input, padding: padding, mode: mode)
        }
        let one = Tensor(shape: TensorShape(n: input.c, c: 1, h: 1, w: 1), storage: [Float](repeating: 1, count: input.c))
        return try conv2d(input, weight: one, bias: nil,
                          parameters: Conv2dParameters(padding: .sides(padding), groups: input.c, paddingMode: mode, paddingReach: .unlimited))
    }

    /// The operation applied to `input` (1, C, H, W) through ``/ImageFilters/FilterRunner`` and the filter type of the
    /// command that computes it (`--kernel`: `conv`'s ``/ImageFilters/KernelFilter``; `--pool`: `maxpool`'s and
    /// `avgpool`'s ``/ImageFilters/PoolFilter``), every channel as data (no alpha); a catalog filter exactly as
    /// its command (``PictureFilter/Built/options``). Sampling, which no command does, takes each window's centre
    /// tap with the same window geometry.
    package func apply(_ input: Tensor) throws -> Tensor {
        _ = try outputSize(input: Pair(h: input.h, w: input.w))
        if let built { return try FilterRunner.run(built.filter, on: input, options: built.options).tensor }
        let w = window
        let geometry = FilterGeometry(stride: w.stride, padding: request.padding ?? .explicit(Pair(0)), paddingMode: request.paddingMode ?? .zeros,
                                      dilation: w.dilation)
        let options = FilterOptions(alphaMode: .drop, lastChannelIsAlpha: false)
        if request.flip, let kernel = appliedKernel {
            return try FilterRunner.run(KernelFilter(kernel: kernel, geometry: geometry), on: input, options: options).tensor
        }
        switch request.operation {
        case .sample:
            let ones = try Kernel(rows: w.kernel.h, columns: w.kernel.w, values: [Float](repeating: 1, count: w.kernel.h * w.kernel.w))
            return try KernelConvolution(kernel: ones, geometry: geometry).resample(input)
        case .filter:
            preconditionFailure("a catalog filter is resolved with its built filter")
        case .kernel(let k):
            return try FilterRunner.run(KernelFilter(kernel: k, geometry: geometry), on: input, options: options).tensor
        case .maxPool:
            let parameters = MaxPool2dParameters(kernel: w.kernel, stride: w.stride, padding: Pair(h: w.padding.top, w: w.padding.left),
                                                 dilation: w.dilation, paddingMode: request.paddingMode)
            return try FilterRunner.run(PoolFilter(.max(parameters)), on: input, options: options).tensor
        case .avgPool:
            let parameters = AvgPool2dParameters(kernel: w.kernel, stride: w.stride, padding: Pair(h: w.padding.top, w: w.padding.left),
                                                 paddingMode: request.paddingMode)
            return try FilterRunner.run(PoolFilter(.average(parameters)), on: input, options: options).tensor
        }
    }
}
