import TensorEngine

/// An RGB picture being drawn: three planes of `height × width` values in [0, 1], finished as a
/// `(1, 3, height, width)` ``Tensor`` that ImageCodecs writes as a PNG.
///
/// Drawing clips to the canvas; coordinates are pixels, x across and y down.
package struct Canvas: Sendable {
    package let width: Int
    package let height: Int
    private var planes: [Float]

    package init(width: Int, height: Int, background: RGBColour = .background) {
        precondition(width > 0 && height > 0, "a canvas needs at least one pixel, not \(width)×\(height)")
        self.width = width
        self.height = height
        let plane = width * height
        planes = [Float](repeating: background.r, count: plane) + [Float](repeating: background.g, count: plane)
            + [Float](repeating: background.b, count: plane)
    }

    /// A canvas holding `image`, a (1, 3, h, w) tensor in [0, 1] (a drawn picture).
    package init(_ image: Tensor) {
        precondition(image.n == 1 && image.c == 3 && image.h > 0 && image.w > 0, "a canvas is a (1, 3, H, W) picture")
        width = image.w
        height = image.h
        planes = image.storage
    }

    /// The picture as a (1, 3, height, width) tensor.
    package var tensor: Tensor { Tensor(shape: TensorShape(n: 1, c: 3, h: height, w: width), storage: planes) }

    package subscript(x: Int, y: Int) -> RGBColour {
        get {
            let i = y * width + x, plane = width * height
            return RGBColour(r: planes[i], g: planes[plane + i], b: planes[2 * plane + i])
        }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            let i = y * width + x, plane = width * height
            planes[i] = newValue.r
            planes[plane + i] = newValue.g
            planes[2 * plane + i] = newValue.b
        }
    }

    /// Every pixel of `rect` (clipped) set to `colour`.
    package mutating func fill(_ rect: PixelRect, _ colour: RGBColour) {
        forEachPixel(in: rect) { _ in colour }
    }

    /// Every pixel of `rect` mixed with `colour` by `amount` (0 keeps it, 1 replaces it).
    package mutating func tint(_ rect: PixelRect, _ colour: RGBColour, amount: Float) {
        forEachPixel(in: rect) { $0.mixed(with: colour, amount: amount) }
    }

    /// A frame `thickness` pixels wide drawn inside `rect`'s edges.
    package mutating func outline(_ rect: PixelRect, _ colour: RGBColour, thickness: Int) {
        let t = min(thickness, (min(rect.width, rect.height) + 1) / 2)
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), colour)
        fill(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), colour)
        fill(PixelRect(x: rect.x, y: rect.y, width: t, height: rect.height), colour)
        fill(PixelRect(x: rect.maxX - t, y: rect.y, width: t, height: rect.height), colour)
    }

    /// Draws `image` ((1, 3, h, w), values clamped to [0, 1]) with its top-left at (`x`, `y`), every sample
    /// enlarged to a `scale × scale` block (nearest neighbour).
    package mutating func blit(_ image: Tensor, x: Int, y: Int, scale: Int) {
        precondition(image.n == 1 && image.c == 3 && scale >= 1, "blit takes a (1, 3, H, W) tensor and a scale ≥ 1")
        let h = image.h, w = image.w
        image.withUnsafeBufferPointer { source in
            for sy in 0..<h {
                for sx in 0..<w {
                    let i = sy * w + sx
                    let colour = RGBColour(r: clamp01(source[i]), g: clamp01(source[h * w + i]), b: clamp01(source[2 * h * w + i]))
                    fill(PixelRect(x: x + sx * scale, y: y + sy * scale, width: scale, height: scale), colour)
                }
            }
        }
    }

    /// Thin grid lines over `rect` on the last row and column of every `cell × cell` block, so each
    /// enlarged sample keeps its own first `cell − 1` pixels.
    package mutating func grid(_ rect: PixelRect, cell: Int) {
        guard cell >= 2 else { return }
        for x in stride(from: rect.x + cell - 1, to: rect.maxX, by: cell) {
            tint(PixelRect(x: x, y: rect.y, width: 1, height: rect.height), .grid, amount: 0.35)
        }
        for y in stride(from: rect.y + cell - 1, to: rect.maxY, by: cell) {
            // Skip the crossings already tinted by the columns, so every grid pixel is tinted once.
            for x in rect.x..<rect.maxX where (x - rect.x) % cell != cell - 1 {
                self[x, y] = self[x, y].mixed(with: .grid, amount: 0.35)
            }
        }
    }

    /// Draws `text` in ``BitmapFont`` with its top-left at (`x`, `y`), each font pixel a `scale × scale` block.
    /// Returns the width drawn.
    @discardableResult
    package mutating func text(_ text: String, x: Int, y: Int, colour: RGBColour = .text, scale: Int = 2) -> Int {
        var left = x
        for character in text {
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isSet(character, column: column, row: row) {
                    fill(PixelRect(x: left + column * scale, y: y + row * scale, width: scale, height: scale), colour)
                }
            }
            left += BitmapFont.advance * scale
        }
        return BitmapFont.width(of: text, scale: scale)
    }

    private mutating func forEachPixel(in rect: PixelRect, _ transform: (RGBColour) -> RGBColour) {
        let x0 = max(rect.x, 0), x1 = min(rect.maxX, width), y0 = max(rect.y, 0), y1 = min(rect.maxY, height)
        guard x0 < x1, y0 < y1 else { return }
        let plane = width * height
        for y in y0..<y1 {
            for x in x0..<x1 {
                let i = y * width + x
                let c = transform(RGBColour(r: planes[i], g: planes[plane + i], b: planes[2 * plane + i]))
                planes[i] = c.r
                planes[plane + i] = c.g
                planes[2 * plane + i] = c.b
            }
        }
    }
}

@inline(__always) func clamp01(_ v: Float) -> Float { v.isNaN ? 0 : min(max(v, 0), 1) }
