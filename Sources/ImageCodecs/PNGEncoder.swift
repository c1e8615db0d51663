import CodecGuards
import TensorEngine

/// Tensor (N = 1, C = 1...4) → PNG bytes with libpng: gray, gray+alpha, RGB or RGBA by C; 8 or 16 bits.
enum PNGEncoder {
    /// Samples are clamped to [0, 1] and rounded to nearest (NaN → 0). Returns the file and libpng's warnings.
    static func encode(_ tensor: Tensor, bitDepth: Int, compressionLevel: Int?, iccProfile: [UInt8]?,
                       path: String) throws -> (bytes: [UInt8], warnings: [String]) {
        guard bitDepth == 8 || bitDepth == 16 else {
            throw ImageCodecError(path: path, reason: "PNG bit depth must be 8 or 16, not \(bitDepth)")
        }
        if let level = compressionLevel, !(0...9).contains(level) {
            throw ImageCodecError(path: path, reason: "PNG compression level must be 0 to 9, not \(level)")
        }
        let channels = tensor.c, planeSize = tensor.shape.planeSize
        let pixels = tensor.withUnsafeBufferPointer { planes in
            bitDepth == 16
                ? PixelConversion.interleave16(planes.baseAddress!, planeSize: planeSize, channels: channels)
                : PixelConversion.interleave8(planes.baseAddress!, planeSize: planeSize, channels: channels)
        }
        var out = cg_buffer()
        var log = cg_log()
        let status = pixels.withUnsafeBufferPointer { px in
            withOptionalBytes(iccProfile) { icc, iccLength in
                cg_png_encode(px.baseAddress, tensor.w * channels * bitDepth / 8, UInt32(tensor.w), UInt32(tensor.h),
                              Int32(channels), Int32(bitDepth), Int32(compressionLevel ?? -1), icc, iccLength, &out, &log)
            }
        }
        defer { cg_buffer_free(&out) }
        if status != 0 { throw ImageCodecError(path: path, reason: "PNG error: \(log.errorMessage)") }
        // libpng's write-side remarks on a carried-over profile ("known incorrect sRGB profile", "profile matches
        // sRGB but writing iCCP instead") concern the source file, which the decoder already reported.
        return ([UInt8](UnsafeBufferPointer(start: out.data, count: out.size)), log.warningList.filter { !$0.contains("profile") })
    }
}

/// Calls `body` with a pointer to `bytes` and its length, or (nil, 0).
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?, Int) -> R) -> R {
    guard let bytes, !bytes.isEmpty else { return body(nil, 0) }
    return bytes.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
}
