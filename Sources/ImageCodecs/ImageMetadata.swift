/// What a file says about its image, beside the pixels.
public struct ImageMetadata: Sendable, Equatable {
    /// The file's format, from its bytes (PNG, JPEG, `.npy`, text grid).
    public var format: ImageFormat
    /// Width and height of the tensor that ``ImageFile/read(_:options:)-(String,_)`` delivers with these
    /// options (with `autoOrient`, the displayed size: swapped for EXIF orientations 5–8).
    public var width: Int
    /// See ``width``.
    public var height: Int
    /// Channels of the decoded tensor: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (any count for `.npy`).
    public var channels: Int
    /// Bits per sample as stored in the file: PNG 1, 2, 4, 8 or 16; JPEG 8; `.npy` 32.
    public var bitDepth: Int
    /// The colour type as stored, in words: "gray", "gray+alpha", "RGB", "RGBA", "palette",
    /// "palette+tRNS", "YCbCr", "CMYK", "YCCK", "float32".
    public var colorType: String
    /// The embedded ICC profile (PNG iCCP, JPEG APP2 ICC_PROFILE), if any.
    public var iccProfile: [UInt8]?
    /// The EXIF orientation tag of a JPEG or PNG (1–8); 1 when absent or out of range. A writer given this
    /// metadata as its source writes this value into the EXIF it carries over (1 once the pixels are turned).
    public var orientation: Int
    /// The EXIF and XMP blocks (JPEG APP1, PNG eXIf / iTXt), carried into PNG and JPEG outputs unless
    /// ``EncodeOptions/stripMetadata``.
    public var embedded: EmbeddedMetadata

    /// The fields as given, without checks; no ICC profile, orientation 1 and no EXIF/XMP by default.
    public init(format: ImageFormat, width: Int, height: Int, channels: Int, bitDepth: Int,
                colorType: String, iccProfile: [UInt8]? = nil, orientation: Int = 1,
                embedded: EmbeddedMetadata = EmbeddedMetadata()) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.colorType = colorType
        self.iccProfile = iccProfile
        self.orientation = orientation
        self.embedded = embedded
    }
}
