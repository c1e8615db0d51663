import CodecGuards
import TensorEngine

/// PNG → tensor with libpng: every colour type and bit depth, Adam7, palettes and tRNS expanded.
///
/// Pixels come as stored: no gamma correction (gAMA, cHRM, sRGB are ignored), no sBIT scaling. An `eXIf`
/// orientation is applied when `autoOrient` (as browsers and Pillow do), as for JPEG.
/// Palette → RGB, tRNS → alpha, gray 1/2/4-bit → 8-bit (libpng's `png_set_expand`); 16-bit stays 16-bit.
enum PNGDecoder {
    private static let colorTypeNames = [0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"]

    /// Header only: no pixel data is read.
    static func readInfo(_ file: InputFile, path: String) throws -> ImageMetadata {
        try withExtendedLifetime(file) {
            let reader = try open(file, path: path)
            defer { cg_png_reader_free(reader.handle) }
            return reader.metadata
        }
    }

    fileprivate struct Reader {
        var handle: OpaquePointer
        var info: cg_png_info
        var metadata: ImageMetadata
    }

    /// The caller keeps `file` alive while the reader lives.
    fileprivate static func open(_ file: InputFile, path: String) throws -> Reader {
        guard let handle = cg_png_reader_new(file.cInput) else {
            throw ImageCodecError.outOfMemory(path: path)
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
        let embedded = EmbeddedMetadata.scanPNG(file)
        let orientation = embedded.exif.map(ExifOrientation.parse) ?? 1
        let size = ExifOrientation.displayedSize(width: Int(info.width), height: Int(info.height), orientation: orientation)
        let metadata = ImageMetadata(format: .png, width: size.width, height: size.height,
                                     channels: Int(info.channels), bitDepth: Int(info.source_bit_depth),
                                     colorType: colorType, iccProfile: icc, orientation: orientation, embedded: embedded)
        return Reader(handle: handle, info: info, metadata: metadata)
    }

    fileprivate static func failure(_ handle: OpaquePointer, path: String) -> ImageCodecError {
        ImageCodecError.corrupt(path: path, reason: "PNG error: \(cg_png_log(handle)!.pointee.errorMessage)")
    }
}

/// A PNG decoded strip by strip, rows top to bottom, as libpng reads the file (through a small window).
/// Interlaced (Adam7) files need every pass before any row is final: the first read decodes the whole
/// image into an 8-bit buffer and strips are served from it. Keeps the file alive while it decodes.
final class PNGRowDecoder: RowDecoder {
    private let file: InputFile
    private let reader: PNGDecoder.Reader
    private let path: String
    private var buffer: [UInt8] = []
    private var bufferedRows = 0  // interlaced: rows decoded into `buffer`
    private var rowsRead = 0
    let shape: TensorShape
    let metadata: ImageMetadata
    var orientation: Int { reader.metadata.orientation }

    init(_ file: InputFile, path: String, options: DecodeOptions) throws {
        self.file = file
        self.path = path
        reader = try PNGDecoder.open(file, path: path)
        let info = reader.info
        shape = TensorShape(n: 1, c: Int(info.channels), h: Int(info.height), w: Int(info.width))
        var metadata = reader.metadata  // header-only readers report the displayed size, as with autoOrient
        if !options.autoOrient { (metadata.width, metadata.height) = (shape.w, shape.h) }
        self.metadata = metadata
        // Every property is set: a throw runs deinit, which frees the reader.
        try options.checkSize(width: shape.w, height: shape.h, path: path)
    }

    deinit {
        cg_png_reader_free(reader.handle)
    }

    func read(into planes: UnsafeMutablePointer<Float>, planeStride: Int, rows: Int) throws {
        let info = reader.info, handle = reader.handle, path = path
        let rowBytes = info.row_bytes, width = shape.w, channels = shape.c
        let convert = info.bit_depth == 16 ? PixelConversion.deinterleave16 : PixelConversion.deinterleave
        if info.interlaced != 0 {
            if bufferedRows == 0 && shape.h > 0 {
                // Not zero-filled: the seven passes write every byte, and the pages of rows a damaged or lying
                // file never reaches are never touched, so memory follows the data that is really there.
                buffer = try [UInt8](unsafeUninitializedCapacity: rowBytes * shape.h) { all, count in
                    if cg_png_read_image(handle, all.baseAddress!, rowBytes) != 0 { throw PNGDecoder.failure(handle, path: path) }
                    count = rowBytes * shape.h
                }
                bufferedRows = shape.h
            }
            buffer.withUnsafeBufferPointer { all in
                convert(all.baseAddress! + rowsRead * rowBytes, rowBytes, rows, width, channels, planes, planeStride, 0)
            }
        } else {
            let batch = min(rows, 32)
            if buffer.count < rowBytes * batch { buffer = [UInt8](repeating: 0, count: rowBytes * max(batch, 1)) }
            try buffer.withUnsafeMutableBufferPointer { rowBuffer in
                var y = 0
                while y < rows {
                    let count = min(batch, rows - y)
                    if cg_png_read_rows(handle, rowBuffer.baseAddress!, rowBytes, UInt32(count)) != 0 {
                        throw PNGDecoder.failure(handle, path: path)
                    }
                    convert(rowBuffer.baseAddress!, rowBytes, count, width, channels, planes, planeStride, y)
                    y += count
                }
            }
        }
        rowsRead += rows
    }

    var sampleRowBytes: Int? { reader.info.bit_depth == 8 && reader.info.interlaced == 0 ? reader.info.row_bytes : nil }

    func readSamples(into dst: UnsafeMutablePointer<UInt8>, rows: Int) throws {
        if cg_png_read_rows(reader.handle, dst, reader.info.row_bytes, UInt32(rows)) != 0 {
            throw PNGDecoder.failure(reader.handle, path: path)
        }
        rowsRead += rows
    }

    func finish() throws -> [String] {
        buffer = []
        if cg_png_read_end(reader.handle) != 0 { throw PNGDecoder.failure(reader.handle, path: path) }
        return cg_png_log(reader.handle)!.pointee.warningList
    }
}
