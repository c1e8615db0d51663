/// The largest picture `visualize`, `sweep` and `animate` draw: 16 megapixels (4096 × 4096) per picture or frame,
/// and 2²⁶ pixels (64 megapixels) over all frames of an animation. Checked from the arithmetic alone, before any padded input,
/// output or canvas is allocated, so `--scale 100000` or `--padding 100000` ends in a message, not a gigabyte.
package enum PictureLimit {
    package static let maxPixels = 16 * 1024 * 1024
    package static let maxAnimationPixels = 1 << 26

    /// Throws when a `width × height` picture would exceed ``maxPixels`` (computed without overflow).
    package static func check(width: Int, height: Int, what: String = "the picture") throws {
        let pixels = Double(width) * Double(height)
        guard pixels <= Double(maxPixels) else {
            throw VisualizationError("\(what) would be \(width)×\(height) pixels, above the limit of \(maxPixels / (1024 * 1024)) megapixels (4096×4096); use a smaller --scale, --padding or --crop")
        }
    }
}
