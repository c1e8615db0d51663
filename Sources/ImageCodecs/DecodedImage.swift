import TensorEngine

/// A decoded file: the pixels as an NCHW tensor (N = 1), what the file said, and the library's warnings.
public struct DecodedImage: Sendable {
    /// Values in [0, 1]: 8-bit samples v/255, 16-bit v/65535. Channels as in ``ImageMetadata/channels``.
    public var tensor: Tensor
    /// What the file says: format, decoded size and channels, bit depth, ICC profile, orientation, EXIF and XMP.
    public var metadata: ImageMetadata
    /// Warnings from libpng/libjpeg (e.g. "iCCP: known incorrect sRGB profile"), each once, in order.
    public var warnings: [String]

    /// The three parts as given; nothing is checked (the decoders make `tensor` agree with `metadata`).
    public init(tensor: Tensor, metadata: ImageMetadata, warnings: [String]) {
        self.tensor = tensor
        self.metadata = metadata
        self.warnings = warnings
    }
}
