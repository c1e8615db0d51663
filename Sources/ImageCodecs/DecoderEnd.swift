/// A decoder's word that it read its file to the end and found it whole, with the library's warnings.
///
/// The commit rule of every image output: nothing is renamed into place until the decoder of its input has
/// reported success after its end-of-file check (PNG: every chunk to IEND with its CRC; JPEG: every marker
/// to EOI). ``ImageReader/finish()`` is the only maker of one for a file being read, and
/// ``ImageWriter/finish(after:)``, the only place an image file is committed, takes one; so a file whose
/// error only shows after its last row (a second SOI or SOF after the scan, a missing IEND, a bad CRC in
/// a late chunk) can never leave an output behind, however the rows travelled between threads.
public struct DecoderEnd: Sendable {
    /// The decoder's warnings, in the order the library gave them.
    public let warnings: [String]

    init(warnings: [String]) { self.warnings = warnings }

    /// For pixels that are not being read from a file: computed ones, or a tensor already decoded whole
    /// (``ImageFile/read(_:options:)-(String,_)`` returns only after the end check, so a whole tensor is proof enough).
    public static let noFileBeingRead = DecoderEnd(warnings: [])
}
