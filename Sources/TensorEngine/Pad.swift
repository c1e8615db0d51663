/// `F.pad` for NCHW tensors: every plane grows by `padding`, the new samples read through
/// ``sourceIndex(_:size:mode:)``, so output(y, x) = input(src(y − top), src(x − left)) or the mode's constant.
///
/// The output is `(N, C, H + top + bottom, W + left + right)`. Throws when `mode` cannot pad that
/// far (see ``PaddingMode/validate(_:height:width:)``) or a pad is negative.
public func pad(_ input: Tensor, padding: Padding, mode: PaddingMode) throws -> Tensor {
    try mode.validate(padding, height: input.h, width: input.w)
    try TensorShape.validateCount(n: input.n, c: input.c, h: input.h + padding.vertical, w: input.w + padding.horizontal)
    let shape = TensorShape(n: input.n, c: input.c, h: input.h + padding.vertical, w: input.w + padding.horizontal)
    return input.withUnsafeBufferPointer { source in
        Tensor(shape: shape) { destination in
            padPlanes(from: source.baseAddress, height: input.h, width: input.w, planes: input.shape.planeCount,
                      padding: padding, mode: mode, into: destination.baseAddress)
        }
    }
}

/// Writes `planes` padded planes of `(height + vertical) × (width + horizontal)` samples to `destination`,
/// reading `planes` contiguous `height × width` planes from `source`. Shared by ``pad(_:padding:mode:)``
/// and convolution's padded copy. The caller has validated `padding` against the plane size.
@usableFromInline
func padPlanes(
    from source: UnsafePointer<Float>?, height: Int, width: Int, planes: Int,
    padding: Padding, mode: PaddingMode, into destination: UnsafeMutablePointer<Float>?
) {
    let paddedHeight = height + padding.vertical, paddedWidth = width + padding.horizontal
    guard planes > 0, paddedHeight > 0, paddedWidth > 0, let destination else { return }
    let fill = mode.constantValue ?? 0
    // Source column of every padded column, −1 where the mode's constant goes. Computed once for all rows and planes.
    let columnSource = (0..<paddedWidth).map { sourceIndex($0 - padding.left, size: width, mode: mode) ?? -1 }
    let src = UncheckedSendable(source), dst = UncheckedSendable(destination)
    columnSource.withUnsafeBufferPointer { columnsBuffer in
        let columns = UncheckedSendable(columnsBuffer)
        parallelFor(planes) { plane in
            let out = dst.value + plane * paddedHeight * paddedWidth
            for y in 0..<paddedHeight {
                let row = out + y * paddedWidth
                guard let sy = sourceIndex(y - padding.top, size: height, mode: mode), let source = src.value else {
                    row.update(repeating: fill, count: paddedWidth)
                    continue
                }
                let input = source + (plane * height + sy) * width
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
