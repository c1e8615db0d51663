import TensorEngine

/// Gray from colour: Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as libjpeg, Pillow's "L" and
/// OpenCV's `COLOR_RGB2GRAY` compute it), on the values as stored (no gamma linearisation).
/// One- and two-channel inputs (already gray) are returned as they are.
package enum Luminance {
    package static let weights: (red: Float, green: Float, blue: Float) = (0.299, 0.587, 0.114)

    /// The luminance of the first three channels of each batch item, as a (N, 1, H, W) tensor.
    package static func of(_ colour: Tensor) -> Tensor {
        guard colour.c >= 3 else { return colour }
        let plane = colour.shape.planeSize
        return colour.withUnsafeBufferPointer { src in
            Tensor(shape: TensorShape(n: colour.n, c: 1, h: colour.h, w: colour.w)) { dst in
                for b in 0..<colour.n {
                    let r = src.baseAddress! + b * colour.c * plane, g = r + plane, bl = g + plane
                    let out = dst.baseAddress! + b * plane
                    for i in 0..<plane { out[i] = of(red: r[i], green: g[i], blue: bl[i]) }
                }
            }
        }
    }

    /// Y of one pixel, summed red, green, blue in that order.
    @inline(__always)
    package static func of(red: Float, green: Float, blue: Float) -> Float {
        weights.red * red + weights.green * green + weights.blue * blue
    }
}
