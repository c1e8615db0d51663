/// 2-D convolution exactly as `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`
/// (with `padding_mode` as `torch.nn.Conv2d`), the math being stated on ``Conv2dParameters``.
///
/// - Parameters:
///   - input: (N, C_in, H, W).
///   - weight: (C_out, C_in/groups, kH, kW), stored as `TensorShape(n: C_out, c: C_in/groups, h: kH, w: kW)`.
///   - bias: C_out values, or nil.
///   - parameters: stride, padding, dilation, groups, padding mode, flip.
/// - Returns: (N, C_out, H_out, W_out), H_out = ⌊(H + pT + pB − d·(k − 1) − 1)/s⌋ + 1 (W_out alike).
/// - Throws: ``EngineError`` for every configuration PyTorch refuses (see ``Conv2dGeometry``).
///
/// How it runs: no padded copy of the input is made. Output rows are computed in bands: for each (batch item, group, output-channel chunk, band) the input rows the band
/// reads are padded into a per-thread scratch that stays in cache, then each output row is a border-free
/// weighted sum of shifted scratch rows. A group with several output channels is a packed matrix product (CKernels):
/// its weights (C_out/g × taps) times the implicit im2col matrix whose row t is the scratch read at tap t's offset,
/// never materialised, with register tiles of several channels × several vectors of columns. A group with one output
/// channel (depthwise, the per-channel image filters) is one row sum per output row (a CKernels row kernel). A horizontal stride is turned into unit
/// steps by the scratch layout, so strided convolution is vectorised too. Work items spread across cores.
/// Peak memory: input + output + one scratch per thread (about 256 KiB per input channel of a group, at least the kernel's reach).
public func conv2d(_ input: Tensor, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters) throws -> Tensor {
    try conv2d(RowWindow(whole: input), weight: weight, bias: bias, parameters: parameters, rows: nil)
}

/// Output rows `rows` (nil: all) of ``conv2d(_:weight:bias:parameters:)`` on the full input that `window` is part of: the
/// window must hold the input rows they read (``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)``).
/// Every output row is computed the same way whatever the window and the rows asked for, so results do not
/// depend on how an image is cut into strips. Returns (N, C_out, rows.count, W_out).
public func conv2d(_ window: RowWindow, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters, rows: Range<Int>?) throws -> Tensor {
    var output = Tensor(shape: TensorShape(n: 0, c: 0, h: 0, w: 0))
    try conv2d(window, weight: weight, bias: bias, parameters: parameters, rows: rows, into: &output)
    return output
}

/// ``conv2d(_:weight:bias:parameters:rows:)`` written into `output`: when `output` already has the result's shape
/// (N, C_out, rows.count, W_out), its storage is reused (no allocation, no fresh pages: a caller that convolves frame
/// after frame keeps one buffer), else it is replaced by a new tensor of that shape.
public func conv2d(_ window: RowWindow, weight: Tensor, bias: [Float]?, parameters: Conv2dParameters, rows: Range<Int>?,
                   into output: inout Tensor) throws {
    let input = window.shape
    let g = try Conv2dGeometry(input: window.fullShape, weight: weight.shape, biasCount: bias?.count, parameters: parameters)
    let outputRows = try g.validateRows(rows, window: window)
    let kernelWeights = parameters.flip ? rotated180(weight) : weight
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let bands = ConvolutionBands(height: window.height, width: input.w, padding: g.padding, mode: parameters.paddingMode,
                                 kernel: g.kernel, stride: g.stride, dilation: g.dilation, output: Pair(h: out.h, w: out.w))
    let channelsIn = g.inputChannelsPerGroup, channelsOut = g.outputChannelsPerGroup
    let taps = g.tapsPerOutput

    // Output channels of a group are split into chunks (multiples of 8, the packing's blocks) only when batch items,
    // groups and bands alone would leave cores idle.
    let minimumBand = max(1, 16_384 / max(1, out.w * taps * min(8, channelsOut)))
    var chunkSize = channelsOut
    if out.n * g.groups * max(1, out.h / minimumBand) < 4 * activeProcessorCount, channelsOut > 8 {
        let wanted = (4 * activeProcessorCount + out.n * g.groups - 1) / (out.n * g.groups)
        chunkSize = max(8, ((channelsOut + wanted - 1) / wanted + 7) / 8 * 8)
    }
    let chunk = chunkSize
    let chunks = (channelsOut + chunk - 1) / chunk
    let band = max(min(minimumBand, out.h), bands.bandHeight(channels: channelsIn, otherItems: out.n * g.groups * chunks))
    let bandsPerPlane = (out.h + band - 1) / band
    let scratchRows = bands.scratchRows(band: band)
    let channelScratch = scratchRows * bands.rowLength

    // Offset of every tap (c, ky, kx) in the scratch, from output (band row 0, column 0).
    var offsets = [Int]()
    offsets.reserveCapacity(taps)
    for c in 0..<channelsIn {
        for ky in 0..<g.kernel.h {
            for kx in 0..<g.kernel.w { offsets.append(c * channelScratch + bands.tapOffset(ky: ky, kx: kx)) }
        }
    }
    // For the matrix product (groups with several output channels): each group's weights in blocks of eight output
    // channels, tap-major, zeros past the group's last channel: packed[((group·blocks + b)·taps + t)·8 + o].
    let blocksPerGroup = channelsOut > 1 ? (channelsOut + 7) / 8 : 0
    var packed = [Float](repeating: 0, count: g.groups * blocksPerGroup * taps * 8)
    kernelWeights.withUnsafeBufferPointer { w in
        for group in 0..<g.groups {
            for o in 0..<(blocksPerGroup > 0 ? channelsOut : 0) {
                let channel = group * channelsOut + o
                let block = group * blocksPerGroup + o / 8
                for t in 0..<taps { packed[(block * taps + t) * 8 + o % 8] = w[channel * taps + t] }
            }
        }
    }
    let biases = bias ?? [Float](repeating: 0, count: out.c)
    let streaming = isStreamingOutput(count: out.count)

    let write = { (outBuffer: UnsafeMutableBufferPointer<Float>) in window.withRowSources { inputRows in
        kernelWeights.withUnsafeBufferPointer { weightBuffer in
            packed.withUnsafeBufferPointer { packedBuffer in
                offsets.withUnsafeBufferPointer { offsetBuffer in
                    biases.withUnsafeBufferPointer { biasBuffer in
                        guard out.count > 0 else { return }
                        let weights = UncheckedSendable(weightBuffer.baseAddress!)
                        let packedWeights = UncheckedSendable(packedBuffer.baseAddress)
                        let tapOffsets = UncheckedSendable(offsetBuffer.baseAddress!)
                        let biasValues = UncheckedSendable(biasBuffer.baseAddress!)
                        let destination = UncheckedSendable(outBuffer.baseAddress!)
                        let outputPlane = out.h * out.w
                        let items = out.n * g.groups * chunks * bandsPerPlane
                        parallelFor(items, scratchCount: channelsIn * channelScratch) { item, scratch in
                            let bandIndex = item % bandsPerPlane
                            let chunkIndex = (item / bandsPerPlane) % chunks
                            let group = (item / (bandsPerPlane * chunks)) % g.groups
                            let n = item / (bandsPerPlane * chunks * g.groups)
                            let rows = outputRows.lowerBound + bandIndex * band ..< outputRows.lowerBound + min((bandIndex + 1) * band, out.h)
                            let firstChannel = n * input.c + group * channelsIn
                            let paddedRows = bands.paddedRows(for: rows)
                            for c in 0..<channelsIn {
                                bands.fillRows(paddedRows, plane: firstChannel + c, of: inputRows, into: scratch + c * channelScratch)
                            }
                            let firstOutput = chunkIndex * chunk
                            let channel = group * channelsOut + firstOutput
                            let outRows = destination.value + (n * out.c + channel) * outputPlane + (rows.lowerBound - outputRows.lowerBound) * out.w
                            if blocksPerGroup > 0, let packedWeights = packedWeights.value {
                                convolveGEMM(scratch, rowStep: bands.rowOffset(1), rows: rows.count, offsets: tapOffsets.value, taps: taps,
                                             packed: packedWeights + (group * blocksPerGroup + firstOutput / 8) * taps * 8,
                                             bias: biasValues.value + channel, channels: min(chunk, channelsOut - firstOutput),
                                             into: outRows, rowStride: out.w, channelStride: outputPlane, width: out.w)
                            } else {
                                for i in 0..<rows.count {
                                    convolveRow(scratch + bands.rowOffset(i), offsets: tapOffsets.value,
                                                weights: weights.value + channel * taps, taps: taps, bias: biasValues.value[channel],
                                                into: outRows + i * out.w, width: out.w, streaming: streaming)
                                }
                            }
                        }
                    }
                }
            }
        }
    } }
    if output.shape == out {
        output.withUnsafeMutableBufferPointer(write)
    } else {
        output = Tensor(shape: out, unsafeUninitialized: write)
    }
}

/// The weight with every kH×kW kernel rotated by 180°: w′[o, c, ky, kx] = w[o, c, kH − 1 − ky, kW − 1 − kx].
/// Turns PyTorch's cross-correlation into true convolution.
package func rotated180(_ weight: Tensor) -> Tensor {
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
