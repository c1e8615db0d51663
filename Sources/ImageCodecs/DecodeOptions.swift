/// How files are decoded.
public struct DecodeOptions: Sendable {
    /// Apply a JPEG's EXIF orientation so that the tensor looks as the image is displayed.
    public var autoOrient = true
    /// Decode a JPEG whose image data ends early with a warning instead of failing: a truncated file
    /// ("Premature end of JPEG file") or scan data cut short by a marker such as an early EOI ("Corrupt JPEG
    /// data: premature end of data segment"). libjpeg fills the missing rows with grey.
    public var allowTruncated = false
    /// Refuse images whose header declares more pixels than this, before any pixel memory is allocated. Images
    /// stream, so this is not what bounds memory (a few strips do, and what must be held whole has its own limit,
    /// ``/TensorEngine/TensorShape/maxCount`` values); it bounds the work one file may ask for, since a few hundred
    /// bytes can declare ten gigapixels. One gigapixel by default (a 36288×27216 photo mosaic is 0.99).
    public var maxPixels = 1_000_000_000

    /// The options, each defaulting as its property says: orient, refuse truncated JPEGs, at most 10⁹ pixels.
    /// Nothing is checked here; a decode over ``maxPixels`` throws ``ImageCodecError/limitExceeded(path:limit:reason:)``
    /// with limit ``ImageCodecError/Limit/pixels``.
    public init(autoOrient: Bool = true, allowTruncated: Bool = false, maxPixels: Int = 1_000_000_000) {
        self.autoOrient = autoOrient
        self.allowTruncated = allowTruncated
        self.maxPixels = maxPixels
    }

    /// Throws when `width`×`height` exceeds ``maxPixels``.
    func checkSize(width: Int, height: Int, path: String) throws {
        let pixels = width.multipliedReportingOverflow(by: height)
        guard pixels.overflow || pixels.partialValue > maxPixels else { return }
        let limit = maxPixels % 1_000_000 == 0 ? "\(maxPixels / 1_000_000)-megapixel" : "\(maxPixels)-pixel"
        throw ImageCodecError.limitExceeded(path: path, limit: .pixels, reason: "image is \(width)×\(height), more than the \(limit) limit")
    }
}
