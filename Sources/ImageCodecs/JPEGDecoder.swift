#if canImport(Glibc)
import Glibc
#endif
import CodecGuards
import TensorEngine

/// JPEG → tensor with libjpeg(-turbo), using djpeg's defaults (islow DCT, fancy upsampling),
/// so gray and colour results equal `djpeg -pnm` sample for sample.
///
/// * Gray files give C = 1, everything else C = 3 (RGB).
/// * CMYK/YCCK files are converted to RGB. With an Adobe APP14 marker the stored values are
///   inverted (Adobe's convention) and R = C·K/255 (rounded), as djpeg's PPM writer and Pillow do;
///   without it the values are taken as plain ink amounts, R = (255−C)(255−K)/255 (Pillow's convention).
/// * 12-bit, lossless and other unsupported files fail with libjpeg's message.
/// * Image data that ends early (a truncated file, or scan data cut short by a marker) fails unless
///   `allowTruncated`; other libjpeg warnings are returned and decoding goes on.
/// * The EXIF orientation is applied when `autoOrient` (and always recorded in the metadata).
enum JPEGDecoder {
    private static let colorSpaceNames = [1: "gray", 2: "RGB", 3: "YCbCr", 4: "CMYK", 5: "YCCK"]

    /// R (or G, B) for every (stored C, stored K) pair; index `c << 8 | k`. See the type's documentation.
    private static let cmykInverted: [Float] = (0..<65536).map { i in
        let c = i >> 8, k = i & 255
        return Float((2 * c * k + 255) / 510) / 255
    }

    static func readInfo(_ file: InputFile, path: String) throws -> ImageMetadata {
        try withExtendedLifetime(file) {
            let reader = try Reader(file, path: path, failOnTruncation: false)
            defer { cg_jpeg_reader_free(reader.handle) }
            return reader.metadata(autoOrient: true)
        }
    }

    fileprivate static func cmykToRGB(_ src: UnsafePointer<UInt8>, rows: Int, width: Int, inverted: Bool,
                                      into planes: UnsafeMutablePointer<Float>, planeSize: Int, firstRow: Int) {
        let flip: Int = inverted ? 0 : 255  // plain ink amounts are inverted into Adobe's convention first
        cmykInverted.withUnsafeBufferPointer { table in
            let lut = table.baseAddress!
            for y in 0..<rows {
                let row = src + y * width * 4
                let out = planes + (firstRow + y) * width
                for x in 0..<width {
                    let p = row + 4 * x
                    let k = Int(p[3]) ^ flip
                    out[x] = lut[(Int(p[0]) ^ flip) << 8 | k]
                    out[planeSize + x] = lut[(Int(p[1]) ^ flip) << 8 | k]
                    out[2 * planeSize + x] = lut[(Int(p[2]) ^ flip) << 8 | k]
                }
            }
        }
    }

    /// An open libjpeg decompressor whose header has been read. The caller frees `handle`.
    fileprivate struct Reader {
        let handle: OpaquePointer
        let info: cg_jpeg_info
        let orientation: Int
        let embedded: EmbeddedMetadata
        let icc: [UInt8]?
        let path: String

        /// The caller keeps `file` alive while the reader lives.
        init(_ file: InputFile, path: String, failOnTruncation: Bool) throws {
            guard let handle = cg_jpeg_reader_new(file.cInput, failOnTruncation ? 1 : 0) else {
                throw ImageCodecError.outOfMemory(path: path)
            }
            self.handle = handle
            self.path = path
            var info = cg_jpeg_info()
            guard cg_jpeg_read_header(handle, &info) == 0 else {
                let error = Reader.failure(handle, path: path)
                cg_jpeg_reader_free(handle)
                throw error
            }
            self.info = info
            embedded = EmbeddedMetadata.scanJPEG(file)
            orientation = embedded.exif.map(ExifOrientation.parse) ?? 1
            var iccLength = 0
            if let profile = cg_jpeg_icc(handle, &iccLength) {
                icc = [UInt8](UnsafeBufferPointer(start: profile, count: iccLength))
                free(profile)
            } else {
                icc = nil
            }
        }

        func metadata(autoOrient: Bool) -> ImageMetadata {
            let stored = (width: Int(info.width), height: Int(info.height))
            let size = autoOrient ? ExifOrientation.displayedSize(width: stored.width, height: stored.height, orientation: orientation) : stored
            let components = Int(info.output_components)
            return ImageMetadata(format: .jpeg, width: size.width, height: size.height,
                                 channels: components == 4 ? 3 : components, bitDepth: 8,
                                 colorType: JPEGDecoder.colorSpaceNames[Int(info.color_space)] ?? "unknown",
                                 iccProfile: icc, orientation: orientation, embedded: embedded)
        }

        func failure() -> ImageCodecError { Reader.failure(handle, path: path) }

        static func failure(_ handle: OpaquePointer, path: String) -> ImageCodecError {
            let log = cg_jpeg_log(handle)!.pointee
            if log.truncated != 0 {
                return ImageCodecError.truncated(path: path, reason: "JPEG error: \(log.errorMessage) (the image data ends early)")
            }
            return ImageCodecError.corrupt(path: path, reason: "JPEG error: \(log.errorMessage)")
        }
    }
}

/// A JPEG decoded strip by strip (rows top to bottom, as stored: no EXIF orientation applied), as libjpeg
/// reads the file (through a small window). Keeps the file alive while it decodes.
///
/// A multi-scan file (progressive, or components in separate scans) makes libjpeg hold the coefficients of
/// the whole image before its first row (2 bytes per coefficient, 64 per 8×8 block of every component), sized
/// by the header alone: a 2 KB file declaring 16000×16000 would allocate and zero some 770 MB before failing
/// on its missing data. Such files are refused before jpeg_start_decompress when those buffers exceed
/// ``maxCoefficientBytes(fileSize:)``.
final class JPEGRowDecoder: RowDecoder {
    private let file: InputFile
    private let reader: JPEGDecoder.Reader
    private let path: String
    private let components: Int, inverted: Bool
    private var buffer: [UInt8]
    private var rowsRead = 0
    let shape: TensorShape
    let metadata: ImageMetadata
    let orientation: Int

    /// The most coefficient memory a multi-scan file of `fileSize` bytes may need: 256 MiB, or 64 times the
    /// file's size when that is more. Real photographs need about 10 bytes of coefficients per byte of file
    /// (a 12-megapixel progressive JPEG of 4 MB: 36 MB), so only files whose header promises far more than
    /// they hold (or huge images of almost nothing but one colour) reach it.
    static func maxCoefficientBytes(fileSize: Int) -> Int { max(256 << 20, 64 * fileSize) }

    init(_ file: InputFile, path: String, options: DecodeOptions) throws {
        self.file = file
        self.path = path
        reader = try JPEGDecoder.Reader(file, path: path, failOnTruncation: !options.allowTruncated)
        let info = reader.info
        let width = Int(info.width), height = Int(info.height)
        components = Int(info.output_components)
        inverted = info.adobe_inverted != 0
        shape = TensorShape(n: 1, c: components == 4 ? 3 : components, h: height, w: width)
        metadata = reader.metadata(autoOrient: options.autoOrient)
        orientation = reader.orientation
        buffer = []
        // Every property is set: from here on a throw runs deinit, which frees the reader.
        try options.checkSize(width: width, height: height, path: path)
        let coefficients = Int(info.coefficient_bytes), limit = Self.maxCoefficientBytes(fileSize: file.count)
        if coefficients > limit {
            throw ImageCodecError.limitExceeded(path: path, limit: .fileSize, reason: "a progressive (multi-scan) JPEG of \(width)×\(height) needs \(Self.megabytes(coefficients)) of coefficient memory before its first row, more than the \(Self.megabytes(limit)) allowed for a file of \(file.count) bytes (64 × its size, at least 256 MB)")
        }
        if cg_jpeg_start(reader.handle) != 0 { throw reader.failure() }
        buffer = [UInt8](repeating: 0, count: width * components * min(16, max(height, 1)))
    }

    deinit {
        cg_jpeg_reader_free(reader.handle)
    }

    func read(into planes: UnsafeMutablePointer<Float>, planeStride: Int, rows: Int) throws {
        let width = shape.w, stride = width * components, batch = buffer.count / max(stride, 1)
        let handle = reader.handle, reader = reader, components = components, inverted = inverted
        try buffer.withUnsafeMutableBufferPointer { rowBuffer in
            var y = 0
            while y < rows {
                var got: UInt32 = 0
                if cg_jpeg_read_rows(handle, rowBuffer.baseAddress!, stride, UInt32(min(batch, rows - y)), &got) != 0 { throw reader.failure() }
                if got == 0 { throw ImageCodecError.truncated(path: path, reason: "JPEG error: no more rows after row \(rowsRead + y)") }
                if components == 4 {
                    JPEGDecoder.cmykToRGB(rowBuffer.baseAddress!, rows: Int(got), width: width, inverted: inverted,
                                          into: planes, planeSize: planeStride, firstRow: y)
                } else {
                    PixelConversion.deinterleave(rowBuffer.baseAddress!, stride: stride, rows: Int(got), width: width,
                                                 channels: components, into: planes, planeSize: planeStride, firstRow: y)
                }
                y += Int(got)
            }
        }
        rowsRead += rows
    }

    var sampleRowBytes: Int? { components == 4 ? nil : shape.w * components }

    func readSamples(into dst: UnsafeMutablePointer<UInt8>, rows: Int) throws {
        let stride = shape.w * components
        var y = 0
        while y < rows {
            var got: UInt32 = 0
            if cg_jpeg_read_rows(reader.handle, dst + y * stride, stride, UInt32(rows - y), &got) != 0 { throw reader.failure() }
            if got == 0 { throw ImageCodecError.truncated(path: path, reason: "JPEG error: no more rows after row \(rowsRead + y)") }
            y += Int(got)
        }
        rowsRead += rows
    }

    /// Skips the next `rows` rows without making their samples (see ``ImageReader/skip(rows:)``); false when this
    /// libjpeg or this file cannot (nothing was read).
    func skip(rows: Int) throws -> Bool {
        var skipped: UInt32 = 0
        switch cg_jpeg_skip_rows(reader.handle, UInt32(rows), &skipped) {
        case -2: return false
        case 0: break
        default: throw reader.failure()
        }
        if Int(skipped) != rows { throw ImageCodecError.truncated(path: path, reason: "JPEG error: no more rows after row \(rowsRead + Int(skipped))") }
        rowsRead += rows
        return true
    }

    private static func megabytes(_ bytes: Int) -> String { "\((bytes + (1 << 20) - 1) >> 20) MB" }

    func finish() throws -> [String] {
        if cg_jpeg_finish(reader.handle) != 0 { throw reader.failure() }
        return cg_jpeg_log(reader.handle)!.pointee.warningList
    }
}
