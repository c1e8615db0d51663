/// How tensors are encoded.
public struct EncodeOptions: Sendable {
    /// JPEG quality, 1...100 (libjpeg's scale, as cjpeg -quality).
    public var quality = 90
    /// PNG bits per sample, 8 or 16. nil: 16 when the source was a 16-bit PNG, else 8. JPEG is always 8.
    public var bitDepth: Int? = nil
    /// PNG zlib level 0...9. nil: 6. The level also picks the row filters and zlib strategy: 1–6 Up with run-length
    /// matching, 7–9 all five filters.
    public var compressionLevel: Int? = nil
    /// JPEG has no alpha: images with alpha are composited onto this colour (with a notice).
    public var background = RGBColor.white
    /// ICC profile to embed. nil: the source's profile, if any.
    public var iccProfile: [UInt8]? = nil
    /// A test hook: fail writing the output at a chosen stage (see ``WriteFault``). Defaults to `IMGCONV_FAULT`.
    package var fault: WriteFault? = WriteFault.fromEnvironment

    /// Leave out the source's EXIF and XMP (the ICC profile is still carried: it says what the colours are).
    public var stripMetadata = false

    /// The options, each defaulting as its property says. Ranges are checked when a file is written, which throws
    /// ``ImageCodecError/invalidParameter(path:reason:)`` for a JPEG quality outside 1...100, a PNG bit depth other
    /// than 8 or 16, a compression level outside 0...9, or a bit depth other than 8 for JPEG.
    public init(quality: Int = 90, bitDepth: Int? = nil, compressionLevel: Int? = nil,
                background: RGBColor = .white, iccProfile: [UInt8]? = nil, stripMetadata: Bool = false) {
        self.stripMetadata = stripMetadata
        self.quality = quality
        self.bitDepth = bitDepth
        self.compressionLevel = compressionLevel
        self.background = background
        self.iccProfile = iccProfile
    }
}

/// A colour with components in [0, 1].
public struct RGBColor: Sendable, Equatable, CustomStringConvertible {
    /// Red, 0 (none) to 1 (full).
    public var r: Float
    /// Green, 0 to 1.
    public var g: Float
    /// Blue, 0 to 1.
    public var b: Float

    /// The colour (r, g, b), components in [0, 1] (not checked).
    public init(r: Float, g: Float, b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// (1, 1, 1), JPEG's default background (``EncodeOptions/background``).
    public static let white = RGBColor(r: 1, g: 1, b: 1)
    /// (0, 0, 0).
    public static let black = RGBColor(r: 0, g: 0, b: 0)

    /// Rec. 601 luma, the weights libjpeg uses for RGB → gray.
    var gray: Float { 0.299 * r + 0.587 * g + 0.114 * b }

    public var description: String {
        switch self {
        case .white: return "white"
        case .black: return "black"
        default: return "(\(r), \(g), \(b))"
        }
    }
}
