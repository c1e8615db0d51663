/// 2-D convolution exactly as `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`
/// (with `padding_mode` as `torch.nn.Conv2d`), the math being stated on ``Conv2dParameters``.
///
/// - Parameters:
///   - input: (N, C_in, H, W).
///   - weight: (C_out, C_in/groups, kH, kW), stored as `TensorShape(n: C_out, c: C_in/groups, h: kH, w: kW)`.
///   - bias: C_out values, or nil.
/// - Returns: (N, C_out, H_out, W_out) with the sizes of ``outputSize(input:kernel:stride:padding:dilation:ceilMode:)``.
/// - Throws: ``EngineError`` for every configuration PyTorch refuses (see ``Conv2dGeometry``).
///
/// How it runs: the input is padded once with ``padPlanes(from:height:width:planes:padding:mode:into:)``
/// (the shared padding rule), then each output row is a border-free weighted sum of shifted padded rows
/// (``convolveRow(_:offsets:weights:taps:stride:bias:into:width:)``). Rows are split in bands over
/// output planes and spread across cores. Depthwise convolution (groups = C_in = C_out) is the same loop
/// with kH·kW taps per output.
public func conv2d(_ input: Tensor, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters) throws -> Tensor {
    let g = try Conv2dGeometry(input: input.shape, weight: weight.shape, biasCount: bias?.count, parameters: parameters)
    try TensorShape.validateCount(n: input.n, c: input.c, h: input.h + g.padding.vertical, w: input.w + g.padding.horizontal)
    try g.output.validateCount()
    let kernelWeights = parameters.flip ? rotated180(weight) : weight
    let paddedHeight = input.h + g.padding.vertical, paddedWidth = input.w + g.padding.horizontal
    let paddedPlane = paddedHeight * paddedWidth

    // Offset of every tap (c, ky, kx) from the top-left input sample of its window, in the padded layout.
    var offsets = [Int]()
    offsets.reserveCapacity(g.tapsPerOutput)
    for c in 0..<g.inputChannelsPerGroup {
        for ky in 0..<g.kernel.h {
            for kx in 0..<g.kernel.w {
                offsets.append(c * paddedPlane + ky * g.dilation.h * paddedWidth + kx * g.dilation.w)
            }
        }
    }

    let padded: Tensor
    if g.padding.isZero {
        padded = input
    } else {
        padded = input.withUnsafeBufferPointer { source in
            Tensor(shape: TensorShape(n: input.n, c: input.c, h: paddedHeight, w: paddedWidth)) { destination in
                padPlanes(from: source.baseAddress, height: input.h, width: input.w, planes: input.shape.planeCount,
                          padding: g.padding, mode: parameters.paddingMode, into: destination.baseAddress)
            }
        }
    }

    let out = g.output
    let taps = g.tapsPerOutput
    let band = bandHeight(rows: out.h, planes: out.planeCount, workPerRow: out.w * taps)
    let bandsPerPlane = (out.h + band - 1) / band
    let biases = bias ?? [Float](repeating: 0, count: out.c)

    return padded.withUnsafeBufferPointer { paddedBuffer in
        kernelWeights.withUnsafeBufferPointer { weightBuffer in
            offsets.withUnsafeBufferPointer { offsetBuffer in
                Tensor(shape: out) { outBuffer in
                    guard out.count > 0 else { return }
                    let source = UncheckedSendable(paddedBuffer.baseAddress!)
                    let weights = UncheckedSendable(weightBuffer.baseAddress!)
                    let tapOffsets = UncheckedSendable(offsetBuffer.baseAddress!)
                    let destination = UncheckedSendable(outBuffer.baseAddress!)
                    parallelFor(out.planeCount * bandsPerPlane) { item in
                        let plane = item / bandsPerPlane, firstRow = (item % bandsPerPlane) * band
                        let n = plane / out.c, o = plane % out.c
                        let group = o / g.outputChannelsPerGroup
                        let groupInput = source.value + (n * input.c + group * g.inputChannelsPerGroup) * paddedPlane
                        let w = weights.value + o * taps
                        for i in firstRow..<min(firstRow + band, out.h) {
                            convolveRow(groupInput + i * g.stride.h * paddedWidth, offsets: tapOffsets.value,
                                        weights: w, taps: taps, stride: g.stride.w, bias: biases[o],
                                        into: destination.value + (plane * out.h + i) * out.w, width: out.w)
                        }
                    }
                }
            }
        }
    }
}

/// The weight with every kH×kW kernel rotated by 180°: w′[o, c, ky, kx] = w[o, c, kH − 1 − ky, kW − 1 − kx].
/// Turns PyTorch's cross-correlation into true convolution.
public func rotated180(_ weight: Tensor) -> Tensor {
    let kernelSize = weight.shape.planeSize
    return weight.withUnsafeBufferPointer { source in
        Tensor(shape: weight.shape) { destination in
            for plane in 0..<weight.shape.planeCount {
                let base = plane * kernelSize
                for k in 0..<kernelSize {
                    destination[base + k] = source[base + kernelSize - 1 - k]
                }
            }
        }
    }
}
