import TensorEngine

/// One kernel applied to every channel of a tensor on its own (depthwise, groups = C): the single
/// place where named filters call the convolution engine.
///
/// `out[c] = (kernel ⋆ in[c]) + bias` with the geometry's stride, padding, padding mode and dilation.
/// A separable kernel (rank 1, `k = col · rowᵀ`) runs as a column pass then a row pass over the
/// once-padded input: kH + kW multiplications per output instead of kH · kW, the same sums up to rounding.
public struct KernelConvolution: Sendable {
    public enum Path: String, Sendable {
        case direct = "direct 2-D"
        case separable = "separable (column pass, then row pass)"
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

    /// Which path ``apply(_:)`` takes: separable when the kernel is rank 1 and that saves work.
    public var path: Path {
        kernel.rows * kernel.columns > kernel.rows + kernel.columns && kernel.separableFactors != nil ? .separable : .direct
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
        switch path {
        case .direct:
            let parameters = try convParameters(padding: padding, input: input)
            let source = parameters.padded ? try pad(input, padding: padding, mode: geometry.paddingMode) : input
            return try conv2d(source, weight: kernel.depthwiseWeight(channels: channels), bias: biasVector(channels),
                              parameters: parameters.conv)
        case .separable:
            let (column, row) = kernel.separableFactors!
            let padded = try pad(input, padding: padding, mode: geometry.paddingMode)
            let columnKernel = try Kernel(rows: column.count, columns: 1, values: column)
            let rowKernel = try Kernel(rows: 1, columns: row.count, values: row)
            let vertical = try conv2d(padded, weight: columnKernel.depthwiseWeight(channels: channels), bias: nil,
                                      parameters: Conv2dParameters(stride: Pair(h: geometry.stride.h, w: 1), padding: .valid,
                                                                   dilation: Pair(h: geometry.dilation.h, w: 1), groups: channels))
            return try conv2d(vertical, weight: rowKernel.depthwiseWeight(channels: channels), bias: biasVector(channels),
                              parameters: Conv2dParameters(stride: Pair(h: 1, w: geometry.stride.w), padding: .valid,
                                                           dilation: Pair(h: 1, w: geometry.dilation.w), groups: channels))
        }
    }

    /// `input` sampled with this geometry but not filtered: the kernel replaced by a single 1 at its
    /// centre tap (⌊kH/2⌋, ⌊kW/2⌋). Kept alpha planes go through this, so their size always matches.
    public func resample(_ input: Tensor) throws -> Tensor {
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        if geometry.stride == Pair(1), padding == .same(kernel: kernelSize, dilation: geometry.dilation),
           kernel.rows % 2 == 1, kernel.columns % 2 == 1 {
            return input  // the centre tap of an odd kernel with same padding at stride 1 is the pixel itself
        }
        var delta = [Float](repeating: 0, count: kernel.rows * kernel.columns)
        delta[(kernel.rows / 2) * kernel.columns + kernel.columns / 2] = 1
        return try KernelConvolution(kernel: Kernel(rows: kernel.rows, columns: kernel.columns, values: delta), geometry: geometry).apply(input)
    }

    private func biasVector(_ channels: Int) -> [Float]? {
        bias == 0 ? nil : [Float](repeating: bias, count: channels)
    }

    /// Engine parameters; `padded` means the caller pads first (asymmetric or strided `same`, which PyTorch's
    /// symmetric `padding=` cannot express).
    private func convParameters(padding: Padding, input: Tensor) throws -> (conv: Conv2dParameters, padded: Bool) {
        let symmetric = padding.top == padding.bottom && padding.left == padding.right
        let prePad = !symmetric || (geometry.padding == .same && geometry.stride != Pair(1))
        return (Conv2dParameters(stride: geometry.stride,
                                 padding: prePad ? .valid : .explicit(Pair(h: padding.top, w: padding.left)),
                                 dilation: geometry.dilation, groups: input.c,
                                 paddingMode: geometry.paddingMode), prePad)
    }
}
