import CodecGuards
import TensorEngine

/// Tensor (N = 1, C = 1...4) → JPEG bytes with libjpeg, cjpeg's defaults (YCbCr 4:2:0 for colour).
///
/// C = 1 is written as grayscale, C = 3 as colour. C = 2 and C = 4 carry alpha, which JPEG cannot
/// store: the image is composited onto `background` (for C = 2 onto its Rec. 601 gray) and a notice
/// "alpha composited onto white" (or the colour) is returned among the warnings.
enum JPEGEncoder {
    static func encode(_ tensor: Tensor, quality: Int, background: RGBColor, iccProfile: [UInt8]?,
                       path: String) throws -> (bytes: [UInt8], warnings: [String]) {
        guard (1...100).contains(quality) else {
            throw ImageCodecError(path: path, reason: "JPEG quality must be 1 to 100, not \(quality)")
        }
        let hasAlpha = tensor.c == 2 || tensor.c == 4
        let channels = hasAlpha ? tensor.c - 1 : tensor.c
        let planeSize = tensor.shape.planeSize
        let pixels = tensor.withUnsafeBufferPointer { planes in
            hasAlpha
                ? composite(planes.baseAddress!, planeSize: planeSize, channels: channels, background: background)
                : PixelConversion.interleave8(planes.baseAddress!, planeSize: planeSize, channels: channels)
        }
        var out = cg_buffer()
        var log = cg_log()
        let status = pixels.withUnsafeBufferPointer { px in
            withOptionalBytes(iccProfile) { icc, iccLength in
                cg_jpeg_encode(px.baseAddress, tensor.w * channels, UInt32(tensor.w), UInt32(tensor.h),
                               Int32(channels), Int32(quality), icc, iccLength, &out, &log)
            }
        }
        defer { cg_buffer_free(&out) }
        if status != 0 { throw ImageCodecError(path: path, reason: "JPEG error: \(log.errorMessage)") }
        var warnings = log.warningList
        if hasAlpha { warnings.append("alpha composited onto \(background)") }
        return ([UInt8](UnsafeBufferPointer(start: out.data, count: out.size)), warnings)
    }

    /// Interleaved 8-bit colour of `channels` planes over `background`, weighted by the following alpha plane.
    private static func composite(_ planes: UnsafePointer<Float>, planeSize: Int, channels: Int,
                                  background: RGBColor) -> [UInt8] {
        let colour = channels == 1 ? [background.gray] : [background.r, background.g, background.b]
        let alpha = planes + channels * planeSize
        return [UInt8](unsafeUninitializedCapacity: planeSize * channels) { out, count in
            for c in 0..<channels {
                let plane = planes + c * planeSize
                let bg = colour[c]
                var d = out.baseAddress! + c
                for i in 0..<planeSize {
                    let a = alpha[i] > 0 ? min(alpha[i], 1) : 0
                    d.pointee = PixelConversion.quantize8(plane[i] * a + bg * (1 - a))
                    d += channels
                }
            }
            count = planeSize * channels
        }
    }
}
