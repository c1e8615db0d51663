import TensorEngine

/// The `animate` picture: one ``ConvolutionDiagram`` frame per output position in row-major order — the
/// window outlined at that position, the outputs so far filled in, the rest empty, and the current sum
/// written below (each product and the total for kernels and pooling of at most ``maxProductTaps`` taps on
/// one channel, else the output value) — all frames at one scale and one size.
package enum ConvolutionAnimation {
    package struct Animation: Sendable {
        package var frames: [GIFAnimation.Frame]
        /// Frame i's layout: its one mark is output position i (row-major).
        package var layouts: [DiagramLayout]
        package var width: Int
        package var height: Int
    }

    /// Frames write each product for windows of at most this many taps (7 × 7); larger ones (blur's default
    /// 13 × 13 Gaussian) write the output value, so that the text stays readable and the frames small.
    package static let maxProductTaps = 49

    /// At most this many frames (a 64 × 64 output); beyond it, crop or stride.
    package static let maxFrames = 4096

    package static func frames(_ input: PreparedInput, operation: ResolvedOperation, scale: Int? = nil,
                              numbers: Bool? = nil) throws -> Animation {
        let inputSize = Pair(h: input.data.h, w: input.data.w)
        let out = try operation.outputSize(input: inputSize)
        let (count, overflow) = out.h.multipliedReportingOverflow(by: out.w)
        guard !overflow, count <= maxFrames else {
            throw VisualizationError("the output is \(out.h)×\(out.w): more than \(maxFrames) frames; use --crop, a larger --stride or a smaller input")
        }
        let weighted = input.data.c == 1 && (operation.appliedKernel != nil || operation.isMaxPool || operation.isAvgPool)
            && operation.window.kernel.h * operation.window.kernel.w <= maxProductTaps
        func options(_ i: Int, scale: Int?) -> DiagramOptions {
            DiagramOptions(positions: [GridPoint(row: i / out.w, column: i % out.w)], scale: scale, numbers: numbers,
                           products: weighted, valueLine: !weighted, revealed: i + 1)
        }
        // The first frame fixes the scale (and so whether numbers fit); the picture limit applies to every frame.
        // Each frame is kept as packed 8-bit pixels only (4 bytes a pixel), so memory follows the GIF's frames.
        let first = try ConvolutionDiagram.draw(input, operation: operation, options: options(0, scale: scale))
        let fixed = first.layout.scale
        var layouts = [first.layout]
        var drawn = [GIFAnimation.Frame(Canvas(first.image))]
        for i in 1..<max(1, count) {
            let w = drawn.map(\.width).max()!, h = drawn.map(\.height).max()!
            guard Double(w) * Double(h) * Double(count) <= Double(PictureLimit.maxAnimationPixels) else {
                throw VisualizationError("\(count) frames of \(w)×\(h) pixels are more than the \(PictureLimit.maxAnimationPixels >> 20)-megapixel limit of an animation; use a smaller --scale or --crop")
            }
            let d = try ConvolutionDiagram.draw(input, operation: operation, options: options(i, scale: fixed))
            layouts.append(d.layout)
            drawn.append(GIFAnimation.Frame(Canvas(d.image)))
        }
        let width = drawn.map(\.width).max()!, height = drawn.map(\.height).max()!
        let background = Canvas(width: 1, height: 1).packedRGB()[0]
        let frames = drawn.map { $0.padded(width: width, height: height, with: background) }
        return Animation(frames: frames, layouts: layouts, width: width, height: height)
    }
}
