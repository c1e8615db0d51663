import CodecGuards
import TensorEngine

/// Float planes (C = 1...4) → JPEG with libjpeg, strip by strip, cjpeg's defaults (YCbCr 4:2:0 for colour):
/// the same 8-bit pixels at the same quality give the same bytes as `cjpeg -quality Q`.
///
/// C = 1 is written as grayscale, C = 3 as colour. C = 2 and C = 4 carry alpha, which JPEG cannot
/// store: the image is composited onto `background` (for C = 2 onto its Rec. 601 gray) and a notice
/// "alpha composited onto white" (or the colour) is returned among the warnings.
/// Rows are converted 16 at a time into a small buffer; no full-size 8-bit copy is made.
final class JPEGEncoder: RowEncoder {
    private let handle: OpaquePointer
    private let path: String
    let width: Int, channels: Int, hasAlpha: Bool
    private let background: RGBColor

    init(width: Int, height: Int, channels tensorChannels: Int, quality: Int, background: RGBColor,
         iccProfile: [UInt8]?, path: String) throws {
        guard (1...100).contains(quality) else {
            throw ImageCodecError(path: path, reason: "JPEG quality must be 1 to 100, not \(quality)")
        }
        guard let handle = cg_jpeg_writer_new() else { throw ImageCodecError(path: path, reason: "out of memory") }
        self.handle = handle
        self.path = path
        self.width = width
        hasAlpha = tensorChannels == 2 || tensorChannels == 4
        channels = hasAlpha ? tensorChannels - 1 : tensorChannels
        self.background = background
        let channels = channels
        let status = withOptionalBytes(iccProfile) { icc, iccLength in
            cg_jpeg_writer_start(handle, UInt32(width), UInt32(height), Int32(channels), Int32(quality), icc, iccLength)
        }
        if status != 0 { throw failure() }
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

    func finish() throws -> (bytes: [UInt8], warnings: [String]) {
        var out = cg_buffer()
        if cg_jpeg_writer_finish(handle, &out) != 0 { throw failure() }
        defer { cg_buffer_free(&out) }
        var warnings = cg_jpeg_writer_log(handle)!.pointee.warningList
        if hasAlpha { warnings.append("alpha composited onto \(background)") }
        return ([UInt8](UnsafeBufferPointer(start: out.data, count: out.size)), warnings)
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

    private func failure() -> ImageCodecError {
        ImageCodecError(path: path, reason: "JPEG error: \(cg_jpeg_writer_log(handle)!.pointee.errorMessage)")
    }
}
