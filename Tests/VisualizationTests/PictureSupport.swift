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

/// An 8-bit RGB pixel of a read-back picture.
struct Pixel: Equatable, CustomStringConvertible {
    var r: Int, g: Int, b: Int

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
