/// A display colour with components in [0, 1].
package struct RGBColour: Hashable, Sendable {
    package var r: Float
    package var g: Float
    package var b: Float

    package init(r: Float, g: Float, b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    package init(gray: Float) { self.init(r: gray, g: gray, b: gray) }

    /// `(1 − amount)·self + amount·other`, per component.
    package func mixed(with other: RGBColour, amount: Float) -> RGBColour {
        RGBColour(r: r + (other.r - r) * amount, g: g + (other.g - g) * amount, b: b + (other.b - b) * amount)
    }

    package static let white = RGBColour(gray: 1)
    package static let black = RGBColour(gray: 0)
    /// The sheet's background: a dark slate, never gray, so an image's gray pixels can be told from it.
    package static let background = RGBColour(r: 0.11, g: 0.12, b: 0.16)
    /// Caption and label text.
    package static let text = RGBColour(r: 0.93, g: 0.93, b: 0.90)
    /// Mixed into the padding band (45 %) so padded samples stand apart from the input's own.
    package static let paddingTint = RGBColour(r: 0.25, g: 0.5, b: 1.0)
    /// Grid lines between enlarged pixels: mixed in at 35 %, so they show on black and on white.
    package static let grid = RGBColour(gray: 0.5)

    /// Outline colours of marked output positions, in order; none of them is blue (the padding tint) or gray.
    package static let markers: [RGBColour] = [
        RGBColour(r: 1.0, g: 0.2, b: 0.2),   // red
        RGBColour(r: 0.2, g: 0.9, b: 0.2),   // green
        RGBColour(r: 1.0, g: 0.6, b: 0.0),   // orange
        RGBColour(r: 1.0, g: 0.2, b: 1.0),   // magenta
        RGBColour(r: 1.0, g: 1.0, b: 0.0),   // yellow
        RGBColour(r: 0.0, g: 1.0, b: 1.0),   // cyan
    ]

    /// The outline colour of the `index`-th marked position: ``markers`` first, then further hues by the golden
    /// angle (137.5°), skipping blues (the padding tint), at full saturation; never grey.
    package static func marker(_ index: Int) -> RGBColour {
        if index < markers.count { return markers[index] }
        var hue = Double(index - markers.count) * 137.508 + 20
        hue = hue.truncatingRemainder(dividingBy: 360)
        if hue >= 175 && hue < 300 { hue += 125 }  // past the blues
        hue = hue.truncatingRemainder(dividingBy: 360)
        let h = hue / 60, x = Float(1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        switch Int(h) {
        case 0: return RGBColour(r: 1, g: x, b: 0.1)
        case 1: return RGBColour(r: x, g: 1, b: 0.1)
        case 2: return RGBColour(r: 0.1, g: 1, b: x)
        case 3: return RGBColour(r: 0.1, g: x, b: 1)
        case 4: return RGBColour(r: x, g: 0.1, b: 1)
        default: return RGBColour(r: 1, g: 0.1, b: x)
        }
    }

    /// Black or white, whichever reads better on a grey of `level`.
    package static func ink(onGray level: Float) -> RGBColour { level > 0.55 ? .black : .white }

    /// An output cell an animation has not reached yet.
    package static let emptyCell = RGBColour(r: 0.2, g: 0.21, b: 0.25)
    /// Refused tiles' reasons.
    package static let warning = RGBColour(r: 1.0, g: 0.55, b: 0.45)
}
