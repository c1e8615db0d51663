/// `F.pad` for NCHW tensors: every plane grows by `padding`, the new samples read by ``PaddingMode``'s rule src,
/// so output(y, x) = input(src(y − top), src(x − left)), or the mode's constant where src reads none.
///
/// The output is `(N, C, H + top + bottom, W + left + right)`. Throws ``EngineError/invalidParameter(_:)`` when a
/// pad is negative or `mode` cannot pad that far under PyTorch's limits (``PaddingReach/pytorch``), and
/// ``EngineError/limitExceeded(_:)`` when the output would hold more than ``TensorShape/maxCount`` values.
public func pad(_ input: Tensor, padding: Padding, mode: PaddingMode) throws -> Tensor {
    try pad(RowWindow(whole: input), padding: padding, mode: mode, rows: nil)
}

/// The input rows that rows `rows` of ``pad(_:padding:mode:)``'s output read: the one row rule with a 1-row window.
package func padInputRows(for rows: Range<Int>, padding: Padding, mode: PaddingMode, height: Int) -> Range<Int> {
    inputRows(for: rows, kernel: 1, stride: 1, dilation: 1, padBefore: padding.top, height: height, mode: mode)
}

/// Rows `rows` (nil: all) of ``pad(_:padding:mode:)``'s output for the full input `window` is part of, as an
/// (N, C, `rows.count`, W + left + right) tensor. `rows` must lie within the full output's rows, and the window must
/// hold the input rows they read:
/// ``inputRows(for:kernel:stride:dilation:padBefore:height:mode:)`` with kernel, stride and dilation 1 and
/// `padBefore` = `padding.top`. Throws as ``pad(_:padding:mode:)``, the size limit applying to the rows computed.
public func pad(_ window: RowWindow, padding: Padding, mode: PaddingMode, rows: Range<Int>?) throws -> Tensor {
    let input = window.shape, height = window.height, width = input.w
    try mode.validate(padding, height: height, width: width)
    let full = TensorShape(n: input.n, c: input.c, h: height + padding.vertical, w: width + padding.horizontal)
    let rows = rows ?? 0..<full.h
    precondition(rows.lowerBound >= 0 && rows.upperBound <= full.h, "rows \(rows) outside 0..<\(full.h)")
    try TensorShape.validateCount(n: full.n, c: full.c, h: rows.count, w: full.w)
    let shape = TensorShape(n: full.n, c: full.c, h: rows.count, w: full.w)
    let paddedWidth = full.w, planes = input.planeCount
    let fill = mode.constantValue ?? 0
    // Source column of every padded column, −1 where the mode's constant goes. Computed once for all rows and planes.
    let columnSource = (0..<paddedWidth).map { sourceIndex($0 - padding.left, size: width, mode: mode) ?? -1 }
    return window.withRowAddresses { inputRows in
        Tensor(shape: shape) { destination in
            guard shape.count > 0 else { return }
            let dst = UncheckedSendable(destination.baseAddress!)
            columnSource.withUnsafeBufferPointer { columnsBuffer in
                let columns = UncheckedSendable(columnsBuffer)
                parallelFor(planes) { plane in
                    let out = dst.value + plane * shape.planeSize
                    for y in rows {
                        let row = out + (y - rows.lowerBound) * paddedWidth
                        guard let sy = sourceIndex(y - padding.top, size: height, mode: mode), width > 0 else {
                            row.update(repeating: fill, count: paddedWidth)
                            continue
                        }
                        let input = inputRows.row(sy, plane: plane)
                        for x in 0..<padding.left {
                            let sx = columns.value[x]
                            row[x] = sx < 0 ? fill : input[sx]
                        }
                        (row + padding.left).update(from: input, count: width)
                        for x in (padding.left + width)..<paddedWidth {
                            let sx = columns.value[x]
                            row[x] = sx < 0 ? fill : input[sx]
                        }
                    }
                }
            }
        }
    }
}
