import TensorEngine

/// One kernel applied to every channel of a tensor on its own (depthwise, groups = C): the single
/// place where named filters call the convolution engine.
///
/// `out[c] = (kernel ⋆ in[c]) + bias` with the geometry's stride, padding, padding mode and dilation.
/// Three paths, the same sums up to rounding, none of which makes a padded copy of the input (the engine
/// pads row bands in a per-thread scratch):
/// - a constant kernel (a box) at stride 1 and dilation 1 runs as running sums (``boxFilter(_:size:scale:bias:parameters:)``):
///   a cost per output that does not depend on the kernel size;
/// - a separable kernel (rank 1, `k = col · rowᵀ`) runs as a column pass then a row pass, fused per row
///   (``separableConv2d(_:column:row:bias:parameters:)``): kH + kW multiplications per output instead of kH · kW;
/// - any other kernel is a direct 2-D depthwise ``conv2d(_:weight:bias:parameters:)``.
public struct KernelConvolution: Sendable {
    public enum Path: String, Sendable {
        case direct = "direct 2-D"
        case separable = "separable (column pass, then row pass)"
        case box = "box (running sums, cost independent of size)"
    }

    public var kernel: Kernel
    public var geometry: FilterGeometry
    public var bias: Float

    public init(kernel: Kernel, geometry: FilterGeometry, bias: Float = 0) {
        self.kernel = kernel
        self.geometry = geometry
        self.bias = bias
    }

    public var kernelSize: Pair { Pair(h: kernel.rows, w: kernel.columns) }

    /// Which path ``apply(_:)`` takes: box for a constant kernel larger than 1×1 at stride 1 and dilation 1;
    /// else separable when the kernel is rank 1 and that saves work; else direct.
    public var path: Path {
        if kernel.values.count > 1, kernel.values.allSatisfy({ $0 == kernel.values[0] }),
           geometry.stride == Pair(1), geometry.dilation == Pair(1) {
            return .box
        }
        return kernel.rows * kernel.columns > kernel.rows + kernel.columns && kernel.separableFactors != nil ? .separable : .direct
    }

    /// Output shape for `input`, after checking that the geometry fits.
    public func outputShape(for input: TensorShape) throws -> TensorShape {
        let out = try geometry.outputSize(input: Pair(h: input.h, w: input.w), kernelSize: kernelSize)
        return TensorShape(n: input.n, c: input.c, h: out.h, w: out.w)
    }

    /// Filters every channel of `input`.
    public func apply(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        let channels = input.c
        let parameters = Conv2dParameters(stride: geometry.stride, padding: .sides(padding), dilation: geometry.dilation,
                                          groups: channels, paddingMode: geometry.paddingMode,
                                          paddingReach: geometry.paddingReach)
        switch path {
        case .direct:
            return try conv2d(input, weight: kernel.depthwiseWeight(channels: channels), bias: biasVector(channels), parameters: parameters)
        case .separable:
            let (column, row) = kernel.separableFactors!
            return try separableConv2d(input, column: column, row: row, bias: biasVector(channels), parameters: parameters)
        case .box:
            return try boxFilter(input, size: kernelSize, scale: kernel.values[0], bias: biasVector(channels), parameters: parameters)
        }
    }

    /// `input` sampled with this geometry but not filtered: the kernel replaced by a single 1 at its
    /// centre tap (⌊kH/2⌋, ⌊kW/2⌋). Kept alpha planes go through this, so their size always matches.
    public func resample(_ input: Tensor) throws -> Tensor {
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        var same = Padding.same(kernel: kernelSize, dilation: geometry.dilation)
        let reach = same.top  // ⌊kH/2⌋·dH for an odd kernel
        if geometry.stripEdges.contains(.above) { same.top = 0 }
        if geometry.stripEdges.contains(.below) { same.bottom = 0 }
        if geometry.stride == Pair(1), padding == same, kernel.rows % 2 == 1, kernel.columns % 2 == 1 {
            // The centre tap of an odd kernel with same padding at stride 1 is the pixel itself; on a strip,
            // the rows beyond a cut edge only fed the kernel's reach.
            let top = geometry.stripEdges.contains(.above) ? reach : 0, bottom = geometry.stripEdges.contains(.below) ? reach : 0
            return input.rows(top ..< input.h - bottom)
        }
        var delta = [Float](repeating: 0, count: kernel.rows * kernel.columns)
        delta[(kernel.rows / 2) * kernel.columns + kernel.columns / 2] = 1
        return try KernelConvolution(kernel: Kernel(rows: kernel.rows, columns: kernel.columns, values: delta), geometry: geometry).apply(input)
    }

    /// The same convolution on a strip of a taller image whose `edges` are cuts (``FilterGeometry/stripEdges``).
    public func onStrip(_ edges: StripEdges) -> KernelConvolution {
        var strip = self
        strip.geometry.stripEdges = edges
        return strip
    }

    private func biasVector(_ channels: Int) -> [Float]? {
        bias == 0 ? nil : [Float](repeating: bias, count: channels)
    }
}
