import Foundation
import ImageCodecs
import TensorEngine
import Visualization

/// Helpers shared by the Visualization tests: deterministic inputs and drawn pictures read back from PNG.
enum Picture {
    /// A (1, 1, h, w) plane of pseudo-random grays in [0.3, 0.9] (a fixed linear congruential sequence).
    static func grayNoise(h: Int, w: Int, seed: UInt32 = 7) -> Tensor {
        var state = seed
        let values = (0..<(h * w)).map { _ -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            return 0.3 + 0.6 * Float(state >> 8) / Float(1 << 24)
        }
        return Tensor(shape: TensorShape(n: 1, c: 1, h: h, w: w), storage: values)
    }

    /// Writes `image` as a PNG and reads it back with ImageFile, as a user of the files would see it.
    static func roundTrip(_ image: Tensor) throws -> Tensor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vis-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ImageFile.write(image, to: path, source: nil)
        return try ImageFile.read(path).tensor
    }
}

/// Something whose 8-bit pixels can be read: a read-back PNG tensor or a decoded GIF frame.
protocol PixelSource {
    var width: Int { get }
    var height: Int { get }
    func pixel(x: Int, y: Int) -> Pixel
}

extension Tensor: PixelSource {
    var width: Int { w }
    var height: Int { h }
    func pixel(x: Int, y: Int) -> Pixel { Pixel(self, x: x, y: y) }
}

/// An 8-bit RGB pixel of a read-back picture.
struct Pixel: Equatable, CustomStringConvertible {
    var r: Int, g: Int, b: Int

    init(r: Int, g: Int, b: Int) {
        self.r = r
        self.g = g
        self.b = b
    }

    init(_ image: some PixelSource, x: Int, y: Int) {
        self = image.pixel(x: x, y: y)
    }

    init(_ t: Tensor, x: Int, y: Int) {
        r = Int((t[0, 0, y, x] * 255).rounded())
        g = Int((t[0, 1, y, x] * 255).rounded())
        b = Int((t[0, 2, y, x] * 255).rounded())
    }

    init(_ c: RGBColour) {
        r = Int((c.r * 255).rounded())
        g = Int((c.g * 255).rounded())
        b = Int((c.b * 255).rounded())
    }

    /// Equal channels: an image sample of a gray input (grid lines keep it gray).
    var isGray: Bool { r == g && g == b }
    /// Mixed with the blue padding tint.
    var isTinted: Bool { b - r > 20 }

    var description: String { "(\(r), \(g), \(b))" }
}

extension Picture {
    /// A (1, 1, h, w) plane from rows of numbers.
    static func grid(_ rows: [[Float]]) -> Tensor {
        Tensor(shape: TensorShape(n: 1, c: 1, h: rows.count, w: rows[0].count), storage: rows.flatMap { $0 })
    }

    /// Whether `text`, drawn in BitmapFont at `fontScale`, appears somewhere inside `region` of `png`: every
    /// set font pixel in one colour (`ink`, or the colour found there), every unset pixel of the glyph boxes in
    /// another. A small OCR that knows only the one font, so a test can read what a picture says.
    static func findText(_ png: some PixelSource, _ text: String, in region: PixelRect, fontScale: Int = 1, ink: Pixel? = nil) -> Bool {
        let w = BitmapFont.width(of: text, scale: fontScale), h = BitmapFont.glyphHeight * fontScale
        guard region.width >= w, region.height >= (BitmapFont.glyphHeight - 1) * fontScale else { return false }
        let set = Array(text).enumerated().flatMap { index, character in
            (0..<BitmapFont.glyphHeight).flatMap { row in
                (0..<BitmapFont.glyphWidth).map { column in
                    (x: index * BitmapFont.advance + column, y: row, on: BitmapFont.isSet(character, column: column, row: row))
                }
            }
        }
        let lastY = min(region.maxY, png.height) - (BitmapFont.glyphHeight - 1) * fontScale
        for y0 in max(region.y, 0)..<max(max(region.y, 0), lastY + 1) {
            for x0 in max(region.x, 0)...max(max(region.x, 0), min(region.maxX, png.width) - w) where x0 + w <= png.width {
                var colour = ink
                var matched = true
                for p in set where p.on {
                    let px = Pixel(png, x: x0 + p.x * fontScale, y: y0 + p.y * fontScale)
                    if colour == nil { colour = px }
                    if px != colour { matched = false; break }
                }
                guard matched, let colour else { continue }
                for p in set where !p.on && y0 + p.y * fontScale < min(png.height, y0 + h) && p.y < BitmapFont.glyphHeight - 1 {
                    if Pixel(png, x: x0 + p.x * fontScale, y: y0 + p.y * fontScale) == colour { matched = false; break }
                }
                if matched { return true }
            }
        }
        return false
    }
}
