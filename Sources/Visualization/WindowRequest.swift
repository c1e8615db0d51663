import ImageFilters
import TensorEngine

/// What a picture applies, as the user asked for it: an operation and its window parameters, with nil for
/// "the operation's default". ``resolved()`` turns it into a ``ResolvedOperation`` with PyTorch's rules.
public struct WindowRequest: Sendable {
    /// The operation slid over the input.
    public enum Operation: Sendable, Equatable {
        /// The input sampled with the window's geometry but not filtered: each output is the window's
        /// centre tap (⌊kH/2⌋, ⌊kW/2⌋), so the picture shows what stride and padding keep.
        case sample
        /// A named filter: `blur` (a k×k box), `sharpen` (classic 3×3), `edge` (Sobel magnitude, 3×3),
        /// `emboss` (3×3), through the same filter types as the filter commands.
        case filter(String)
        /// A user kernel, applied to every channel.
        case kernel(Kernel)
        case maxPool
        case avgPool
    }

    public static let filterNames = ["blur", "sharpen", "edge", "emboss"]

    public var operation: Operation
    public var kernelSize: Pair?
    /// nil: 1 for convolution, the window for pooling (PyTorch's defaults).
    public var stride: Pair?
    public var padding: PaddingSpec
    /// nil: zeros for convolution; for pooling the engine's own (−∞ for max, 0 for average).
    public var paddingMode: PaddingMode?
    public var dilation: Pair
    /// True convolution: the kernel rotated by 180° before it slides (kernels and kernel filters only).
    public var flip: Bool

    public init(operation: Operation = .sample, kernelSize: Pair? = nil, stride: Pair? = nil,
                padding: PaddingSpec = .explicit(Pair(0)), paddingMode: PaddingMode? = nil, dilation: Pair = Pair(1),
                flip: Bool = false) {
        self.flip = flip
        self.operation = operation
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.paddingMode = paddingMode
        self.dilation = dilation
    }

    var isPooling: Bool { operation == .maxPool || operation == .avgPool }

    /// Checks the parameters and fixes every default.
    public func resolved() throws -> ResolvedOperation {
        let kernel = try resolvedKernelSize()
        for (name, pair) in [("--kernel-size", kernel), ("--dilation", dilation)] + (stride.map { [("--stride", $0)] } ?? []) {
            guard pair.h >= 1, pair.w >= 1 else { throw VisualizationError("\(name) must be at least 1, not \(pair)") }
        }
        let stride = self.stride ?? (isPooling ? kernel : Pair(1))
        if flip {
            switch operation {
            case .kernel, .filter("blur"), .filter("sharpen"), .filter("emboss"): break
            default: throw VisualizationError("--flip rotates a kernel by 180°: it takes --kernel or --filter blur|sharpen|emboss, not \(operation)")
            }
        }
        let padding: Padding
        if isPooling {
            guard case .explicit(let pair) = self.padding else {
                throw VisualizationError("pooling takes a number for --padding, not \(self.padding)")
            }
            do {
                try Pool2dGeometry.validateWindow(kernel: kernel, stride: stride, padding: pair, dilation: dilation)
            } catch let error as EngineError {
                throw VisualizationError(error.description)
            }
            if operation == .avgPool && dilation != Pair(1) {
                throw VisualizationError("average pooling has no dilation (PyTorch's AvgPool2d takes none)")
            }
            padding = Padding(pair)
        } else {
            do {
                padding = try self.padding.resolved(kernel: kernel, dilation: dilation, stride: stride)
            } catch let error as EngineError {
                throw VisualizationError(error.description)
            }
        }
        let window = SlidingWindow(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        return ResolvedOperation(request: self, window: window)
    }

    private func resolvedKernelSize() throws -> Pair {
        switch operation {
        case .kernel(let k):
            let size = Pair(h: k.rows, w: k.columns)
            if let kernelSize, kernelSize != size {
                throw VisualizationError("--kernel-size \(kernelSize) disagrees with the \(k.rows)×\(k.columns) kernel given")
            }
            return size
        case .filter(let name) where name != "blur":
            guard WindowRequest.filterNames.contains(name) else {
                throw VisualizationError("unknown filter '\(name)': use \(WindowRequest.filterNames.joined(separator: ", ")), --kernel or --pool")
            }
            if let kernelSize, kernelSize != Pair(3) {
                throw VisualizationError("\(name) uses a 3×3 kernel, so --kernel-size \(kernelSize) does not apply; use blur or --kernel for other sizes")
            }
            return Pair(3)
        case .filter:
            let size = kernelSize ?? Pair(3)
            guard size.h == size.w else { throw VisualizationError("blur takes a square --kernel-size, not \(size)") }
            return size
        case .maxPool, .avgPool:
            return kernelSize ?? Pair(2)
        case .sample:
            return kernelSize ?? Pair(3)
        }
    }
}

/// A ``WindowRequest`` with every default fixed: the window, and how to run the operation and draw its padding.
public struct ResolvedOperation: Sendable {
    public let request: WindowRequest
    public let window: SlidingWindow

    /// What the padding band holds, for drawing: the chosen mode, else zeros (also for max pooling's
    /// −∞, which no window ever picks; ``paddingNote`` says so).
    public var displayPaddingMode: PaddingMode { request.paddingMode ?? .zeros }

    /// `zeros` / `reflect` …, or what pooling pads with by default.
    public var paddingDescription: String {
        if let mode = request.paddingMode { return mode.description }
        if window.padding.isZero { return "none" }
        switch request.operation {
        case .maxPool: return "−∞ (shown as 0)"
        default: return PaddingMode.zeros.description
        }
    }

    /// The weights each window is multiplied by, as applied (after `--flip`): the kernel, the filter's kernel,
    /// or for sampling a one at the centre tap (⌊kH/2⌋, ⌊kW/2⌋). Nil for edge (a magnitude of two
    /// convolutions) and pooling, which are not a weighted sum.
    public var appliedKernel: Kernel? {
        let k = window.kernel
        let kernel: Kernel? = switch request.operation {
        case .kernel(let given): given
        case .filter("blur"): try? KernelLibrary.box(size: k.h)
        case .filter("sharpen"): KernelLibrary.sharpenClassic
        case .filter("emboss"): try? KernelLibrary.emboss(angle: 135)
        case .sample: try? Kernel(rows: k.h, columns: k.w, values: (0..<(k.h * k.w)).map { $0 == (k.h / 2) * k.w + k.w / 2 ? 1 : 0 })
        default: nil
        }
        return request.flip ? kernel?.flipped : kernel
    }

    /// The tap max pooling picks for output `position`, in padded coordinates: the first largest value in
    /// row-major order (PyTorch's rule; NaN wins). `padded` holds the padded plane as drawn; without a padding
    /// mode (−∞ padding) taps in the padding band are never picked. Nil for other operations.
    public func winner(of position: GridPoint, padded: Tensor) -> GridPoint? {
        guard request.operation == .maxPool else { return nil }
        let pad = window.padding
        var best: (GridPoint, Float)?
        for tap in window.taps(of: position) {
            let inside = tap.row >= pad.top && tap.row < padded.h - pad.bottom && tap.column >= pad.left && tap.column < padded.w - pad.right
            guard inside || request.paddingMode != nil else { continue }
            let v = padded[0, 0, tap.row, tap.column]
            if let b = best, !(v > b.1 || (v.isNaN && !b.1.isNaN)) { continue }
            best = (tap, v)
        }
        return best?.0
    }

    /// One line naming the operation, e.g. `blur: 3×3 box` or `sample: centre tap of a 3×3 window`.
    public var label: String {
        let k = "\(window.kernel.h)×\(window.kernel.w)"
        switch request.operation {
        case .sample: return "sample: centre tap of a \(k) window"
        case .filter("blur"): return "blur: \(k) box"
        case .filter("edge"): return "edge: Sobel magnitude, \(k)"
        case .filter(let name): return "\(name): \(k) kernel" + (request.flip ? ", flipped" : "")
        case .kernel: return "conv: \(k) kernel" + (request.flip ? ", flipped (true convolution)" : "")
        case .maxPool: return "max pool: \(k) window"
        case .avgPool: return "avg pool: \(k) window"
        }
    }

    /// Checks that the window fits a plane of `input` and the padding mode can pad it; returns the output size.
    public func outputSize(input: Pair) throws -> Pair {
        do {
            try displayPaddingMode.validate(window.padding, height: input.h, width: input.w)
        } catch let error as EngineError {
            throw VisualizationError(error.description)
        }
        let out = window.outputSize(input: input)
        guard out.h >= 1, out.w >= 1 else {
            throw VisualizationError("a \(window.kernel.h)×\(window.kernel.w) window with dilation \(window.dilation) does not fit in the \(input.h)×\(input.w) input padded by \(window.padding): the output would be \(out.h)×\(out.w)")
        }
        return out
    }

    /// The operation applied to `input` (1, C, H, W): the engine, the filter types and FilterRunner, as the
    /// filter commands run them.
    public func apply(_ input: Tensor) throws -> Tensor {
        _ = try outputSize(input: Pair(h: input.h, w: input.w))
        let w = window
        let geometry = FilterGeometry(stride: w.stride, padding: request.padding, paddingMode: request.paddingMode ?? .zeros,
                                      dilation: w.dilation)
        let options = FilterOptions(alphaMode: .drop, lastChannelIsAlpha: false)
        if request.flip, let kernel = appliedKernel {
            return try FilterRunner.run(KernelFilter(kernel: kernel, geometry: geometry), on: input, options: options).tensor
        }
        switch request.operation {
        case .sample:
            let ones = try Kernel(rows: w.kernel.h, columns: w.kernel.w, values: [Float](repeating: 1, count: w.kernel.h * w.kernel.w))
            return try KernelConvolution(kernel: ones, geometry: geometry).resample(input)
        case .filter(let name):
            let filter: any ImageFilter = switch name {
            case "blur": try BlurFilter(.box(size: w.kernel.h), geometry: geometry)
            case "sharpen": try SharpenFilter(.classic, geometry: geometry)
            case "edge": try EdgeFilter(operator: .sobel, geometry: geometry)
            default: try EmbossFilter(geometry: geometry)
            }
            return try FilterRunner.run(filter, on: input, options: options).tensor
        case .kernel(let k):
            return try FilterRunner.run(KernelFilter(kernel: k, geometry: geometry), on: input, options: options).tensor
        case .maxPool:
            return try maxPool2d(input, parameters: MaxPool2dParameters(kernel: w.kernel, stride: w.stride, padding: Pair(h: w.padding.top, w: w.padding.left),
                                                                        dilation: w.dilation, paddingMode: request.paddingMode)).output
        case .avgPool:
            return try avgPool2d(input, parameters: AvgPool2dParameters(kernel: w.kernel, stride: w.stride, padding: Pair(h: w.padding.top, w: w.padding.left),
                                                                        paddingMode: request.paddingMode))
        }
    }
}
