/// Depthwise convolution with a rank-1 kernel `k[ky, kx] = column[ky] · row[kx]`, the same kernel on every
/// channel: exactly ``conv2d(_:weight:bias:parameters:)`` with that kernel as a (C, 1, kH, kW) weight and
/// `groups` = C (which `parameters.groups` must be), up to rounding, in kH + kW multiply-adds per output
/// instead of kH·kW:
///
///     v[r, x] = Σ_ky column[ky] · x̃[r + ky·dH, x]            (column pass, over padded columns)
///     y[i, j] = bias[c] + Σ_kx row[kx] · v[i·sH, j·sW + kx·dW]    (row pass)
///
/// Fused per output row: the column pass writes one padded-width row to a per-thread buffer and the row
/// pass reads it at once, so nothing but the output is allocated (see ``ConvolutionBands``). At stride 1,
/// wide planes are also cut into column strips of 512 outputs, so that a band of a tall kernel
/// (61 rows for σ = 10) still fits in cache; a column pass of more than 8 taps streams its rows
/// (``accumulateRows(_:rowStride:weights:taps:into:width:)``).
/// A factor that reads the same from both ends (a Gaussian's) adds each mirrored pair of samples before
/// multiplying (``convolveSymmetricRow(_:offsets:weights:taps:bias:into:width:)``): ⌈k/2⌉ products instead of k.
/// With `flip`, both factors are reversed (the 180° rotation of a rank-1 kernel).
package func separableConv2d(_ input: Tensor, column: [Float], row: [Float], bias: [Float]?, parameters: Conv2dParameters) throws -> Tensor {
    try separableConv2d(RowWindow(whole: input), column: column, row: row, bias: bias, parameters: parameters, rows: nil)
}

/// Output rows `rows` (nil: all) of ``separableConv2d(_:column:row:bias:parameters:)`` on the full input `window` is part of,
/// as ``conv2d(_:weight:bias:parameters:rows:)`` computes them: the window must hold the input rows they read.
package func separableConv2d(_ window: RowWindow, column: [Float], row: [Float], bias: [Float]?, parameters: Conv2dParameters,
                            rows: Range<Int>?) throws -> Tensor {
    let input = window.shape
    let weightShape = TensorShape(n: input.c, c: 1, h: column.count, w: row.count)
    guard parameters.groups == input.c else {
        throw EngineError.shapeMismatch("a separable depthwise convolution needs groups equal to the \(input.c) input channels, but groups is \(parameters.groups)")
    }
    let g = try Conv2dGeometry(input: window.fullShape, weight: weightShape, biasCount: bias?.count, parameters: parameters)
    let outputRows = try g.validateRows(rows, window: window)
    let columnWeights = parameters.flip ? Array(column.reversed()) : column
    let rowWeights = parameters.flip ? Array(row.reversed()) : row
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let bands = ConvolutionBands(height: window.height, width: input.w, padding: g.padding, mode: parameters.paddingMode,
                                 kernel: g.kernel, stride: g.stride, dilation: g.dilation, output: Pair(h: out.h, w: out.w))
    // Column strips (stride 1 only: then scratch positions are padded columns).
    let stripWidth = g.stride.w == 1 && bands.rowLength > 1024 ? 512 : out.w
    let strips = (out.w + stripWidth - 1) / stripWidth
    let stripColumns = g.stride.w == 1 ? min(bands.rowLength, stripWidth + (g.kernel.w - 1) * g.dilation.w) : bands.rowLength
    let narrow = ConvolutionBands(height: input.h, width: stripColumns, padding: .zero, mode: .zeros, kernel: g.kernel,
                                  stride: Pair(h: g.stride.h, w: 1), dilation: g.dilation, output: Pair(h: out.h, w: stripWidth))
    let band = narrow.bandHeight(channels: 1, otherItems: out.planeCount * strips)
    let bandsPerPlane = (out.h + band - 1) / band
    let scratchRows = bands.scratchRows(band: band)
    // Offsets within a scratch of `stripColumns`-wide rows (for one strip) or full rows.
    let rowLength = g.stride.w == 1 ? stripColumns : bands.rowLength
    let columnOffsets = (0..<g.kernel.h).map { $0 * g.dilation.h * rowLength }
    let rowOffsets = (0..<g.kernel.w).map { bands.tapOffset(ky: 0, kx: $0) }
    let biases = bias ?? [Float](repeating: 0, count: out.c)
    // Mirrored factors (a Gaussian's) add sample pairs before multiplying; a column pass of up to 25 such
    // taps reads its rows at once (13 rows of a 512-column strip for σ = 2 stay in L1), taller ones stream them.
    let columnSymmetric = isSymmetric(columnWeights) && columnWeights.count <= 25, rowSymmetric = isSymmetric(rowWeights)
    let streaming = isStreamingOutput(count: out.count)

    return window.withRowSources { inputRows in
        Tensor(shape: out) { outBuffer in
            guard out.count > 0 else { return }
            let destination = UncheckedSendable(outBuffer.baseAddress!)
            let outputPlane = out.h * out.w
            parallelFor(out.planeCount * bandsPerPlane * strips, scratchCount: (scratchRows + 1) * rowLength) { item, scratch in
                let strip = item % strips, bandIndex = (item / strips) % bandsPerPlane, plane = item / (strips * bandsPerPlane)
                let rows = outputRows.lowerBound + bandIndex * band ..< outputRows.lowerBound + min((bandIndex + 1) * band, out.h)
                let outColumns = strip * stripWidth ..< min((strip + 1) * stripWidth, out.w)
                // Scratch positions read by this strip: all of them for one strip, else padded columns j0 ..< j1 − 1 + (kW − 1)·dW + 1.
                let columns = strips == 1 ? 0..<bands.rowLength
                    : outColumns.lowerBound ..< outColumns.upperBound + (g.kernel.w - 1) * g.dilation.w
                for (k, r) in bands.paddedRows(for: rows).enumerated() {
                    bands.fillRow(r, columns: columns, plane: plane, of: inputRows, into: scratch + k * rowLength)
                }
                let vertical = scratch + scratchRows * rowLength
                columnWeights.withUnsafeBufferPointer { cw in
                    rowWeights.withUnsafeBufferPointer { rw in
                        columnOffsets.withUnsafeBufferPointer { co in
                            rowOffsets.withUnsafeBufferPointer { ro in
                                for i in rows {
                                    let top = scratch + (i - rows.lowerBound) * g.stride.h * rowLength
                                    if columnSymmetric {
                                        convolveSymmetricRow(top, offsets: co.baseAddress!, weights: cw.baseAddress!, taps: cw.count, bias: 0,
                                                             into: vertical, width: columns.count)
                                    } else if cw.count > 8 {
                                        accumulateRows(top, rowStride: g.dilation.h * rowLength, weights: cw.baseAddress!, taps: cw.count,
                                                       into: vertical, width: columns.count)
                                    } else {
                                        convolveRow(top, offsets: co.baseAddress!, weights: cw.baseAddress!, taps: cw.count, bias: 0,
                                                    into: vertical, width: columns.count)
                                    }
                                    let target = destination.value + plane * outputPlane + (i - outputRows.lowerBound) * out.w + outColumns.lowerBound
                                    if rowSymmetric {
                                        convolveSymmetricRow(vertical, offsets: ro.baseAddress!, weights: rw.baseAddress!, taps: rw.count,
                                                             bias: biases[plane % out.c], into: target, width: outColumns.count,
                                                             streaming: streaming)
                                    } else {
                                        convolveRow(vertical, offsets: ro.baseAddress!, weights: rw.baseAddress!, taps: rw.count,
                                                    bias: biases[plane % out.c], into: target, width: outColumns.count,
                                                    streaming: streaming)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
