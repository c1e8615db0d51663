import TensorEngine

/// The per-pixel operation a filter step runs on its input before its filter: alpha split off, dropped or
/// multiplied into the colour, the colour made gray. It reads input row r for prepared row r, so a row pipeline
/// runs it as a stage of its own, once per row (`ImagePipeline`'s preparation stage), and ``FilterRunner`` on a
/// whole image runs it once.
///
/// For an input of C channels:
/// - the last channel is alpha when ``FilterOptions/lastChannelIsAlpha`` and C is 2 or 4; the ``AlphaMode``
///   `drop` removes it, `keep` and `filter` keep it last;
/// - with ``FilterOptions/gray`` and at least three colour channels, the colour becomes Y = 0.299 R + 0.587 G +
///   0.114 B (BT.601, as libjpeg), one channel;
/// - with `filter`, every colour value is multiplied by its pixel's alpha (premultiplied); ``FilterRunner`` divides
///   the filtered colour by the filtered alpha afterwards.
///
/// The prepared tensor is the colour channels, then alpha when kept: (N, C′ + 1 or C′, H, W).
package struct PixelPreparation: Sendable, Equatable {
    /// The input's last channel is alpha.
    package let splitsAlpha: Bool
    /// Alpha stays, after the colour (``AlphaMode/keep`` or ``AlphaMode/filter``).
    package let keepsAlpha: Bool
    /// The colour is multiplied by alpha (``AlphaMode/filter``).
    package let premultiplies: Bool
    /// The colour becomes luminance.
    package let makesGray: Bool
    /// The colour planes the filter sees: alpha split off, gray applied.
    package let colourShape: TensorShape

    /// The preparation `filter` with `options` needs on an input of `input`'s shape.
    package init(_ filter: some ImageFilter, input: TensorShape, options: FilterOptions) {
        splitsAlpha = options.lastChannelIsAlpha && (input.c == 2 || input.c == 4)
        let mode = options.alphaMode ?? filter.defaultAlphaMode
        keepsAlpha = splitsAlpha && mode != .drop
        premultiplies = keepsAlpha && mode == .filter
        var colour = input
        if splitsAlpha { colour.c -= 1 }
        makesGray = options.gray && colour.c >= 3
        if makesGray { colour.c = 1 }
        colourShape = colour
    }

    /// The prepared tensor's shape.
    package var shape: TensorShape {
        var prepared = colourShape
        if keepsAlpha { prepared.c += 1 }
        return prepared
    }

    /// Whether preparing changes nothing (no alpha, or alpha kept as it is, and no gray), so that the step reads
    /// its input as it is.
    package var isIdentity: Bool { !makesGray && !premultiplies && splitsAlpha == keepsAlpha }

    /// `image` (any rows of the input) prepared, in one pass per plane: each colour value (or the pixel's
    /// luminance, ``Luminance``) times its alpha when premultiplying, then the alpha plane when kept; the same
    /// operations in the same order as ``Luminance/of(_:)`` followed by a multiplication, so the same bits.
    package func apply(_ image: Tensor) -> Tensor {
        guard !isIdentity else { return image }
        let out = TensorShape(n: image.n, c: shape.c, h: image.h, w: image.w)
        let plane = image.shape.planeSize, inputChannels = image.c, colourChannels = colourShape.c
        return image.withUnsafeBufferPointer { source in
            Tensor(shape: out) { destination in
                guard out.count > 0 else { return }
                for b in 0..<image.n {
                    let s = source.baseAddress! + b * inputChannels * plane, d = destination.baseAddress! + b * out.c * plane
                    let alpha = s + (inputChannels - 1) * plane
                    for c in 0..<colourChannels {
                        let o = d + c * plane, from = s + c * plane
                        switch (makesGray, premultiplies) {
                        case (true, true):
                            for i in 0..<plane { o[i] = Luminance.of(red: s[i], green: s[plane + i], blue: s[2 * plane + i]) * alpha[i] }
                        case (true, false):
                            for i in 0..<plane { o[i] = Luminance.of(red: s[i], green: s[plane + i], blue: s[2 * plane + i]) }
                        case (false, true):
                            for i in 0..<plane { o[i] = from[i] * alpha[i] }
                        case (false, false):
                            o.update(from: from, count: plane)
                        }
                    }
                    if keepsAlpha { (d + colourChannels * plane).update(from: alpha, count: plane) }
                }
            }
        }
    }
}
