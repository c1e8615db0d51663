/// A display colour with components in [0, 1].
public struct RGBColour: Hashable, Sendable {
    public var r: Float
    public var g: Float
    public var b: Float

    public init(r: Float, g: Float, b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    public init(gray: Float) { self.init(r: gray, g: gray, b: gray) }

    /// `(1 − amount)·self + amount·other`, per component.
    public func mixed(with other: RGBColour, amount: Float) -> RGBColour {
        RGBColour(r: r + (other.r - r) * amount, g: g + (other.g - g) * amount, b: b + (other.b - b) * amount)
    }

    public static let white = RGBColour(gray: 1)
    public static let black = RGBColour(gray: 0)
    /// The sheet's background: a dark slate, never gray, so an image's gray pixels can be told from it.
    public static let background = RGBColour(r: 0.11, g: 0.12, b: 0.16)
    /// Caption and label text.
    public static let text = RGBColour(r: 0.93, g: 0.93, b: 0.90)
    /// Mixed into the padding band (45 %) so padded samples stand apart from the input's own.
    public static let paddingTint = RGBColour(r: 0.25, g: 0.5, b: 1.0)
    /// Grid lines between enlarged pixels: mixed in at 35 %, so they show on black and on white.
    public static let grid = RGBColour(gray: 0.5)

    /// Outline colours of marked output positions, in order; none of them is blue (the padding tint) or gray.
    public static let markers: [RGBColour] = [
        RGBColour(r: 1.0, g: 0.2, b: 0.2),   // red
        RGBColour(r: 0.2, g: 0.9, b: 0.2),   // green
        RGBColour(r: 1.0, g: 0.6, b: 0.0),   // orange
        RGBColour(r: 1.0, g: 0.2, b: 1.0),   // magenta
        RGBColour(r: 1.0, g: 1.0, b: 0.0),   // yellow
        RGBColour(r: 0.0, g: 1.0, b: 1.0),   // cyan
    ]
}
