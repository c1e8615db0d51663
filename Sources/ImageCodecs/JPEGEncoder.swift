import CodecGuards
import TensorEngine

/// Float planes (C = 1...4) → JPEG with libjpeg, strip by strip, cjpeg's defaults (YCbCr 4:2:0 for colour):
/// the same 8-bit pixels at the same quality give the same bytes as `cjpeg -quality Q`.
///
/// C = 1 is written as grayscale, C = 3 as colour. C = 2 and C = 4 carry alpha, which JPEG cannot
/// store: the image is composited onto `background` (for C = 2 onto its Rec. 601 gray) and a notice
/// "alpha composited onto white" (or the colour) is returned among the warnings.
/// Rows are converted 16 at a time into a small buffer; no full-size 8-bit copy is made, and the compressed
/// file goes to the ``OutputFile`` as libjpeg makes it. `markers` (EXIF, XMP APP1 payloads) are written right
/// after SOI and the JFIF APP0, before the ICC profile's APP2 markers.
final class JPEGEncoder: RowEncoder {
    private let handle: OpaquePointer
    private let output: OutputFile
    let width: Int, channels: Int, hasAlpha: Bool
    private let background: RGBColor

    init(width: Int, height: Int, channels tensorChannels: Int, quality: Int, background: RGBColor,
         iccProfile: [UInt8]?, markers: [[UInt8]], output: OutputFile) throws {
        let path = output.name
        try Self.check(quality: quality, path: path)
        guard let handle = cg_jpeg_writer_new(output.sink) else { throw ImageCodecError.outOfMemory(path: path) }
        self.handle = handle
        self.output = output
        self.width = width
        hasAlpha = tensorChannels == 2 || tensorChannels == 4
        channels = hasAlpha ? tensorChannels - 1 : tensorChannels
        self.background = background
        if cg_jpeg_writer_start(handle, UInt32(width), UInt32(height), Int32(channels), Int32(quality)) != 0 { throw failure() }
        for payload in markers {
            let status = payload.withUnsafeBufferPointer { cg_jpeg_writer_marker(handle, 0xE1, $0.baseAddress, $0.count) }
            if status != 0 { throw failure() }
        }
        if withOptionalBytes(iccProfile, { icc, length in icc.map { cg_jpeg_writer_icc(handle, $0, length) } ?? 0 }) != 0 {
            throw failure()
        }
    }

    /// Throws unless `quality` is 1...100: checked before the output is created.
    static func check(quality: Int, path: String) throws {
        guard (1...100).contains(quality) else {
            throw ImageCodecError.invalidParameter(path: path, reason: "JPEG quality must be 1 to 100, not \(quality)")
        }
    }

    deinit { cg_jpeg_writer_free(handle) }

    var rowBytes: Int { width * channels }
    var takesPlainSamples: Bool { !hasAlpha }

    var clampsWhileConverting: Bool { !hasAlpha }

    func convert(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        if hasAlpha {
            composite(planes, planeStride: planeStride, count: rows * width, into: dst)
            return 0
        }
        return PixelConversion.interleave8(planes, planeStride: planeStride, channels: channels, count: rows * width, into: dst)
    }

    func write(_ rows: UnsafePointer<UInt8>, count: Int) throws {
        if cg_jpeg_writer_rows(handle, rows, rowBytes, UInt32(count)) != 0 { throw failure() }
    }

    func finish() throws -> [String] {
        if cg_jpeg_writer_finish(handle) != 0 { throw failure() }
        var warnings = cg_jpeg_writer_log(handle)!.pointee.warningList
        if hasAlpha { warnings.append("alpha composited onto \(background)") }
        return warnings
    }

    /// Interleaved 8-bit colour of the colour planes over `background`, weighted by the following alpha plane.
    private func composite(_ planes: UnsafePointer<Float>, planeStride: Int, count: Int, into dst: UnsafeMutablePointer<UInt8>) {
        let colour = channels == 1 ? [background.gray] : [background.r, background.g, background.b]
        let alpha = planes + channels * planeStride
        for c in 0..<channels {
            let plane = planes + c * planeStride
            let bg = colour[c]
            var d = dst + c
            for i in 0..<count {
                let a = alpha[i] > 0 ? min(alpha[i], 1) : 0
                d.pointee = PixelConversion.quantize8(plane[i] * a + bg * (1 - a))
                d += channels
            }
        }
    }

    /// The output's own failure (a write error, the byte fault) when writing failed, else libjpeg's message.
    private func failure() -> ImageCodecError {
        output.failure(orElse: ImageCodecError.cannotWrite(path: output.name, reason: "JPEG error: \(cg_jpeg_writer_log(handle)!.pointee.errorMessage)"))
    }
}
