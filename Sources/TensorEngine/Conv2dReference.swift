/// The convolution formula of ``Conv2dParameters``, computed directly, one output element at a time:
///
///     y[n, o, i, j] = b[o] + Σ_c Σ_ky Σ_kx  w[o, c, ky, kx] · x̃[n, G(o)·C_in/g + c, i·sH + ky·dH − pTop, j·sW + kx·dW − pLeft]
///
/// Reads outside the plane through ``sourceIndex(_:size:mode:)``. Slow and obviously correct: it is the
/// reference that tests hold ``conv2d(_:weight:bias:parameters:)`` to. Validation is the same as the fast path.
package func conv2dReference(_ input: Tensor, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters) throws -> Tensor {
    let g = try Conv2dGeometry(input: input.shape, weight: weight.shape, biasCount: bias?.count, parameters: parameters)
    let mode = parameters.paddingMode
    var output = Tensor(shape: g.output)
    for n in 0..<g.output.n {
        for o in 0..<g.output.c {
            let group = o / g.outputChannelsPerGroup
            for i in 0..<g.output.h {
                for j in 0..<g.output.w {
                    var sum = bias?[o] ?? 0
                    for c in 0..<g.inputChannelsPerGroup {
                        for ky in 0..<g.kernel.h {
                            for kx in 0..<g.kernel.w {
                                let y = i * g.stride.h + ky * g.dilation.h - g.padding.top
                                let x = j * g.stride.w + kx * g.dilation.w - g.padding.left
                                let value: Float
                                if let sy = sourceIndex(y, size: input.h, mode: mode),
                                   let sx = sourceIndex(x, size: input.w, mode: mode) {
                                    value = input[n, group * g.inputChannelsPerGroup + c, sy, sx]
                                } else {
                                    value = mode.constantValue ?? 0
                                }
                                let (wy, wx) = parameters.flip ? (g.kernel.h - 1 - ky, g.kernel.w - 1 - kx) : (ky, kx)
                                sum += weight[o, c, wy, wx] * value
                            }
                        }
                    }
                    output[n, o, i, j] = sum
                }
            }
        }
    }
    return output
}
