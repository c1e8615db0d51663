/// Depthwise convolution with a constant kernel: every weight is `scale`, the same on every channel.
/// Exactly ``conv2d(_:weight:bias:parameters:)`` with a (C, 1, kH, kW) weight of `scale`s and `groups` = C
/// (which `parameters.groups` must be), up to rounding, at a cost that does not depend on the kernel size:
///
///     y[i, j] = bias[c] + scale · Σ_{ky < kH, kx < kW} x̃[i + ky, j + kx]
///
/// computed with running sums: a column sum per padded column, updated from output row i − 1 to i by
/// adding padded row i + kH − 1 and subtracting padded row i − 1; then along the row,
/// s(j) = s(j − 1) + v[j + kW − 1] − v[j − 1] in Double, in four independent segments so that the
/// additions overlap. Only stride 1 and dilation 1 (the running sums need consecutive windows).
/// Rows are padded one at a time through ``ConvolutionBands``; nothing but the output is allocated. The sums
/// restart every ``boxFilterBlock`` rows (absolute row numbers), which is also how the work is spread over cores.
package func boxFilter(_ input: Tensor, size: Pair, scale: Float, bias: [Float]?, parameters: Conv2dParameters) throws -> Tensor {
    try boxFilter(RowWindow(whole: input), size: size, scale: scale, bias: bias, parameters: parameters, rows: nil)
}

/// The running sums restart every ``boxFilterBlock`` output rows, at absolute row numbers, so that every output row is
/// the same sum however an image is cut into strips: output rows `rows` are computed from the start of their block,
/// ``boxFilterRows(_:)``, and the window must hold the input rows those read.
package let boxFilterBlock = 32

/// The output rows whose sums ``boxFilter(_:size:scale:bias:parameters:rows:)`` runs through to give `rows`: from the
/// start of the first one's block (a multiple of ``boxFilterBlock``).
package func boxFilterRows(_ rows: Range<Int>) -> Range<Int> {
    rows.isEmpty ? rows : rows.lowerBound / boxFilterBlock * boxFilterBlock ..< rows.upperBound
}

/// Output rows `rows` (nil: all) of ``boxFilter(_:size:scale:bias:parameters:)`` on the full input `window` is part of;
/// the window must hold the input rows that output rows ``boxFilterRows(_:)`` read.
package func boxFilter(_ window: RowWindow, size: Pair, scale: Float, bias: [Float]?, parameters: Conv2dParameters,
                      rows: Range<Int>?) throws -> Tensor {
    let input = window.shape
    guard parameters.stride == Pair(1), parameters.dilation == Pair(1) else {
        throw EngineError("the box filter's running sums need stride 1 and dilation 1, but the stride is \(parameters.stride) and the dilation \(parameters.dilation)")
    }
    guard parameters.groups == input.c else {
        throw EngineError.shapeMismatch("a box filter is depthwise: groups must equal the \(input.c) input channels, but groups is \(parameters.groups)")
    }
    let weightShape = TensorShape(n: input.c, c: 1, h: size.h, w: size.w)
    let g = try Conv2dGeometry(input: window.fullShape, weight: weightShape, biasCount: bias?.count, parameters: parameters)
    let outputRows = try g.validateRows(rows, window: window)
    let out = TensorShape(n: g.output.n, c: g.output.c, h: outputRows.count, w: g.output.w)
    let bands = ConvolutionBands(height: window.height, width: input.w, padding: g.padding, mode: parameters.paddingMode,
                                 kernel: g.kernel, stride: g.stride, dilation: g.dilation, output: Pair(h: out.h, w: out.w))
    let block = boxFilterBlock
    let firstBlock = outputRows.lowerBound / block
    let blocksPerPlane = outputRows.isEmpty ? 0 : (outputRows.upperBound - 1) / block - firstBlock + 1
    let biases = bias ?? [Float](repeating: 0, count: out.c)
    let rowLength = bands.rowLength

    return window.withRowSources { inputRows in
        Tensor(shape: out) { outBuffer in
            guard out.count > 0 else { return }
            let destination = UncheckedSendable(outBuffer.baseAddress!)
            let outputPlane = out.h * out.w
            // Scratch: column sums (rowLength + 1, the last a 0 that the final running step may read) and one padded row.
            parallelFor(out.planeCount * blocksPerPlane, scratchCount: 2 * rowLength + 1) { item, scratch in
                let plane = item / blocksPerPlane, start = (firstBlock + item % blocksPerPlane) * block
                let emitted = max(start, outputRows.lowerBound) ..< min(start + block, outputRows.upperBound)
                let sums = scratch, padded = scratch + rowLength + 1
                sums.update(repeating: 0, count: rowLength + 1)
                for r in start ..< start + size.h {
                    bands.fillRow(r, plane: plane, of: inputRows, into: padded)
                    addRow(padded, into: sums, count: rowLength, sign: 1)
                }
                let b = biases[plane % out.c]
                for i in start ..< emitted.upperBound {
                    if i > start {
                        bands.fillRow(i + size.h - 1, plane: plane, of: inputRows, into: padded)
                        addRow(padded, into: sums, count: rowLength, sign: 1)
                        bands.fillRow(i - 1, plane: plane, of: inputRows, into: padded)
                        addRow(padded, into: sums, count: rowLength, sign: -1)
                    }
                    guard i >= emitted.lowerBound else { continue }
                    runningRowSum(sums, window: size.w, scale: scale, bias: b,
                                  into: destination.value + plane * outputPlane + (i - outputRows.lowerBound) * out.w, width: out.w)
                }
            }
        }
    }
}

/// sums[x] += sign · row[x] for x < count (sign ±1).
@inline(__always)
private func addRow(_ row: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>, count: Int, sign: Float) {
    var x = 0
    while x + 16 <= count {
        let s = UnsafeRawPointer(sums + x).loadUnaligned(as: SIMD16<Float>.self)
        let r = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(sums + x).storeBytes(of: sign > 0 ? s + r : s - r, as: SIMD16<Float>.self)
        x += 16
    }
    while x < count {
        sums[x] += sign * row[x]
        x += 1
    }
}

/// out[j] = bias + scale · Σ_{x = j}^{j + window − 1} v[x] for j < width, as running sums in four interleaved
/// segments. Reads v[0 ..< width + window] (the last element only to finish a running step).
@inline(__always)
private func runningRowSum(_ v: UnsafePointer<Float>, window: Int, scale: Float, bias: Float,
                           into out: UnsafeMutablePointer<Float>, width: Int) {
    let segment = width / 4
    let starts = (0, segment, 2 * segment, 3 * segment)
    func initial(_ start: Int) -> Double {
        var s = 0.0
        for x in start ..< start + window { s += Double(v[x]) }
        return s
    }
    var s0 = initial(starts.0), s1 = initial(starts.1), s2 = initial(starts.2), s3 = initial(starts.3)
    let scaleD = Double(scale)
    for j in 0..<segment {
        let j0 = starts.0 + j, j1 = starts.1 + j, j2 = starts.2 + j, j3 = starts.3 + j
        out[j0] = Float(s0 * scaleD) + bias
        out[j1] = Float(s1 * scaleD) + bias
        out[j2] = Float(s2 * scaleD) + bias
        out[j3] = Float(s3 * scaleD) + bias
        s0 += Double(v[j0 + window]) - Double(v[j0])
        s1 += Double(v[j1 + window]) - Double(v[j1])
        s2 += Double(v[j2 + window]) - Double(v[j2])
        s3 += Double(v[j3 + window]) - Double(v[j3])
    }
    // The last segment runs on to the end of the row.
    for j in (starts.3 + segment) ..< width {
        out[j] = Float(s3 * scaleD) + bias
        s3 += Double(v[j + window]) - Double(v[j])
    }
}
