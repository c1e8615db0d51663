import CodecGuards
import TensorEngine

/// PNG → tensor with libpng: every colour type and bit depth, Adam7, palettes and tRNS expanded.
///
/// Pixels come as stored: no gamma correction (gAMA, cHRM, sRGB are ignored), no sBIT scaling.
/// Palette → RGB, tRNS → alpha, gray 1/2/4-bit → 8-bit (libpng's `png_set_expand`); 16-bit stays 16-bit.
enum PNGDecoder {
    private static let colorTypeNames = [0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"]

    /// Header only: no pixel data is read.
    static func readInfo(_ data: [UInt8], path: String) throws -> ImageMetadata {
        try data.withUnsafeBufferPointer { bytes in
            let reader = try open(bytes, path: path)
            defer { cg_png_reader_free(reader.handle) }
            return reader.metadata
        }
    }

    static func decode(_ data: [UInt8], path: String, options: DecodeOptions) throws -> DecodedImage {
        try data.withUnsafeBufferPointer { bytes in
            let reader = try open(bytes, path: path)
            defer { cg_png_reader_free(reader.handle) }
            let info = reader.info
            let handle = reader.handle
            let width = Int(info.width), height = Int(info.height), channels = Int(info.channels)
            try options.checkSize(width: width, height: height, path: path)

            let shape = TensorShape(n: 1, c: channels, h: height, w: width)
            let rowBytes = info.row_bytes
            let convert = info.bit_depth == 16 ? PixelConversion.deinterleave16 : PixelConversion.deinterleave
            let tensor = try Tensor(shape: shape) { out in
                let planes = out.baseAddress!
                // Interlaced images need every pass before any row is final; others go in batches of rows.
                let batch = info.interlaced != 0 ? height : min(height, 32)
                var buffer = [UInt8](repeating: 0, count: rowBytes * max(batch, 1))
                try buffer.withUnsafeMutableBufferPointer { rows in
                    var y = 0
                    while y < height {
                        let count = min(batch, height - y)
                        let status = info.interlaced != 0
                            ? cg_png_read_image(handle, rows.baseAddress!, rowBytes)
                            : cg_png_read_rows(handle, rows.baseAddress!, rowBytes, UInt32(count))
                        if status != 0 { throw failure(handle, path: path) }
                        convert(rows.baseAddress!, rowBytes, count, width, channels, planes, shape.planeSize, y)
                        y += count
                    }
                }
            }
            if cg_png_read_end(handle) != 0 { throw failure(handle, path: path) }
            return DecodedImage(tensor: tensor, metadata: reader.metadata, warnings: cg_png_log(handle)!.pointee.warningList)
        }
    }

    private struct Reader {
        var handle: OpaquePointer
        var info: cg_png_info
        var metadata: ImageMetadata
    }

    private static func open(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> Reader {
        guard let handle = cg_png_reader_new(bytes.baseAddress, bytes.count) else {
            throw ImageCodecError(path: path, reason: "out of memory")
        }
        var info = cg_png_info()
        if cg_png_read_header(handle, &info) != 0 {
            let error = failure(handle, path: path)
            cg_png_reader_free(handle)
            throw error
        }
        var colorType = colorTypeNames[Int(info.source_color_type)] ?? "type \(info.source_color_type)"
        let gainedAlpha = [0: 2, 2: 4, 3: 4][Int(info.source_color_type)] == Int(info.channels)
        if gainedAlpha { colorType += "+tRNS" }
        let icc = info.icc.map { [UInt8](UnsafeBufferPointer(start: $0, count: Int(info.icc_length))) }
        let metadata = ImageMetadata(format: .png, width: Int(info.width), height: Int(info.height),
                                     channels: Int(info.channels), bitDepth: Int(info.source_bit_depth),
                                     colorType: colorType, iccProfile: icc)
        return Reader(handle: handle, info: info, metadata: metadata)
    }

    private static func failure(_ handle: OpaquePointer, path: String) -> ImageCodecError {
        ImageCodecError(path: path, reason: "PNG error: \(cg_png_log(handle)!.pointee.errorMessage)")
    }
}
