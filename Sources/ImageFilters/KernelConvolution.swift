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
/// - any other kernel is a direct 2-D depthwise ``/TensorEngine/conv2d(_:weight:bias:parameters:)``.
package struct KernelConvolution: Sendable {
    package enum Path: String, Sendable {
        case direct = "direct 2-D"
        case separable = "separable (column pass, then row pass)"
        case box = "box (running sums, cost independent of size)"
    }

    package var kernel: Kernel
    package var geometry: FilterGeometry
    package var bias: Float

    package init(kernel: Kernel, geometry: FilterGeometry, bias: Float = 0) {
        self.kernel = kernel
        self.geometry = geometry
        self.bias = bias
    }

    package var kernelSize: Pair { Pair(h: kernel.rows, w: kernel.columns) }

    /// Which path ``apply(_:)`` takes: box for a constant kernel larger than 1×1 at stride 1 and dilation 1;
    /// else separable when the kernel is rank 1 and that saves work; else direct.
    package var path: Path {
        if kernel.values.count > 1, kernel.values.allSatisfy({ $0 == kernel.values[0] }),
           geometry.stride == Pair(1), geometry.dilation == Pair(1) {
            return .box
        }
        return kernel.rows * kernel.columns > kernel.rows + kernel.columns && kernel.separableFactors != nil ? .separable : .direct
    }

    /// Output shape for `input`, after checking that the geometry fits.
    package func outputShape(for input: TensorShape) throws -> TensorShape {
        let out = try geometry.outputSize(input: Pair(h: input.h, w: input.w), kernelSize: kernelSize)
        return TensorShape(n: input.n, c: input.c, h: out.h, w: out.w)
    }

    /// The input rows output rows `rows` read: the engine's one row rule with this kernel's height, stride,
    /// dilation, top padding and padding mode; a box runs its sums from the start of its block (``boxFilterRows(_:)``).
    package func inputRows(for rows: Range<Int>, input: TensorShape) throws -> Range<Int> {
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        return TensorEngine.inputRows(for: path == .box ? boxFilterRows(rows) : rows, kernel: kernel.rows, stride: geometry.stride.h,
                                      dilation: geometry.dilation.h, padBefore: padding.top, height: input.h, mode: geometry.paddingMode)
    }

    /// Filters every channel of a whole `input`.
    package func apply(_ input: Tensor) throws -> Tensor {
        try apply(RowWindow(whole: input), rows: 0 ..< outputShape(for: input.shape).h)
    }

    /// Output rows `rows` of every channel filtered; `window` holds the rows ``inputRows(for:input:)`` names.
    package func apply(_ window: RowWindow, rows: Range<Int>) throws -> Tensor {
        _ = try outputShape(for: window.fullShape)
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        let channels = window.shape.c
        let parameters = Conv2dParameters(stride: geometry.stride, padding: .sides(padding), dilation: geometry.dilation,
                                          groups: channels, paddingMode: geometry.paddingMode,
                                          paddingReach: geometry.paddingReach)
        switch path {
        case .direct:
            return try conv2d(window, weight: kernel.depthwiseWeight(channels: channels), bias: biasVector(channels), parameters: parameters, rows: rows)
        case .separable:
            let (column, row) = kernel.separableFactors!
            return try separableConv2d(window, column: column, row: row, bias: biasVector(channels), parameters: parameters, rows: rows)
        case .box:
            return try boxFilter(window, size: kernelSize, scale: kernel.values[0], bias: biasVector(channels), parameters: parameters, rows: rows)
        }
    }

    /// `input` sampled with this geometry but not filtered: the kernel replaced by a single 1 at its
    /// centre tap (⌊kH/2⌋, ⌊kW/2⌋). Kept alpha planes go through this, so their size always matches.
    package func resample(_ input: Tensor) throws -> Tensor {
        try resample(RowWindow(whole: input), rows: 0 ..< outputShape(for: input.shape).h)
    }

    /// Output rows `rows` of ``resample(_:)``; `window` holds the rows ``inputRows(for:input:)`` names.
    package func resample(_ window: RowWindow, rows: Range<Int>) throws -> Tensor {
        let padding = try geometry.resolvedPadding(kernelSize: kernelSize)
        if geometry.stride == Pair(1), padding == .same(kernel: kernelSize, dilation: geometry.dilation),
           kernel.rows % 2 == 1, kernel.columns % 2 == 1 {
            // The centre tap of an odd kernel with same padding at stride 1 is the pixel itself.
            _ = try outputShape(for: window.fullShape)
            return window.rows(rows)
        }
        var delta = [Float](repeating: 0, count: kernel.rows * kernel.columns)
        delta[(kernel.rows / 2) * kernel.columns + kernel.columns / 2] = 1
        return try KernelConvolution(kernel: Kernel(rows: kernel.rows, columns: kernel.columns, values: delta), geometry: geometry)
            .apply(window, rows: rows)
    }

    private func biasVector(_ channels: Int) -> [Float]? {
        bias == 0 ? nil : [Float](repeating: bias, count: channels)
    }
}
