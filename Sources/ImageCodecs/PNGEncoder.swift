import CodecGuards
import TensorEngine

/// Float planes → PNG with libpng, strip by strip: gray, gray+alpha, RGB or RGBA by C; 8 or 16 bits.
///
/// Samples are clamped to [0, 1] and rounded to nearest (NaN → 0). Rows are converted 16 at a time into a
/// small buffer, so no full-size 8-bit copy of the image is ever made, and the compressed file goes to the
/// ``OutputFile`` as libpng makes it. Chunks given as `afterHeader` (EXIF, XMP) are placed right after IHDR.
///
/// Row filters and zlib strategy (chosen deliberately, see ``filters(forLevel:)`` and ``strategy(forLevel:)``):
/// most of PNG encoding time is zlib's deflate. At levels 1–6 (6 is the default) every row is written with the
/// `Up` filter and deflated with zlib's `Z_RLE` strategy (matches are runs of one repeated byte, found without
/// hash chains; zlib then ignores the level, so 1–6 write the same file). Measured on the team's photos at
/// level 6: a 12-megapixel blurred photograph encodes in 0.25 s instead of 1.8 s with `Sub` and the default
/// strategy (file 14 % larger) and 0.67 s unfiltered (what libvips writes; file 31 % smaller); an 8.3-megapixel
/// render in 0.045 s instead of 0.12 s, its file 21 % larger than with `Sub` or unfiltered (blurred: 36 % larger
/// than `Sub`, the same size as unfiltered). (zlib timings of the filtered rows alone, one thread.)
/// Levels 7–9 ask for the smallest file: libpng's adaptive choice among all five filters and its default
/// strategy. Level 0 stores the data and writes no filter. Filters and strategy change the bytes, never the
/// pixels: PNG → PNG round trips stay bit-exact at every level.
final class PNGEncoder: RowEncoder {
    private let handle: OpaquePointer
    private let output: OutputFile
    let width: Int, channels: Int, bitDepth: Int

    static let defaultCompressionLevel = 6

    /// The PNG_FILTER_* mask used at zlib `level` (see the type's documentation).
    static func filters(forLevel level: Int) -> Int32 {
        let none: Int32 = 0x08, sub: Int32 = 0x10, up: Int32 = 0x20, avg: Int32 = 0x40, paeth: Int32 = 0x80
        switch level {
        case 0: return none
        case 1...6: return up
        default: return none | sub | up | avg | paeth
        }
    }

    /// The zlib strategy used at `level` (see the type's documentation): `Z_RLE` (3) at levels 1–6, else -1 (libpng's default).
    static func strategy(forLevel level: Int) -> Int32 {
        (1...6).contains(level) ? 3 : -1
    }

    init(width: Int, height: Int, channels: Int, bitDepth: Int, compressionLevel: Int?, iccProfile: [UInt8]?,
         afterHeader chunks: [UInt8], output: OutputFile) throws {
        let path = output.name
        try Self.check(bitDepth: bitDepth, compressionLevel: compressionLevel, path: path)
        guard let handle = cg_png_writer_new(output.sink) else { throw ImageCodecError.outOfMemory(path: path) }
        self.handle = handle
        self.output = output
        self.width = width
        self.channels = channels
        self.bitDepth = bitDepth
        let level = compressionLevel ?? Self.defaultCompressionLevel
        if !chunks.isEmpty, chunks.withUnsafeBufferPointer({ cg_sink_insert_at(output.sink, UInt64(EmbeddedMetadata.pngChunksOffset), $0.baseAddress, $0.count) }) != 0 {
            throw ImageCodecError.outOfMemory(path: path)
        }
        let status = withOptionalBytes(iccProfile) { icc, iccLength in
            cg_png_writer_start(handle, UInt32(width), UInt32(height), Int32(channels), Int32(bitDepth),
                                Int32(level), Self.filters(forLevel: level), Self.strategy(forLevel: level), icc, iccLength)
        }
        if status != 0 { throw failure() }
    }

    /// Throws unless `bitDepth` is 8 or 16 and `compressionLevel` nil or 0...9: checked before the output is created.
    static func check(bitDepth: Int, compressionLevel: Int?, path: String) throws {
        guard bitDepth == 8 || bitDepth == 16 else {
            throw ImageCodecError.invalidParameter(path: path, reason: "PNG bit depth must be 8 or 16, not \(bitDepth)")
        }
        if let level = compressionLevel, !(0...9).contains(level) {
            throw ImageCodecError.invalidParameter(path: path, reason: "PNG compression level must be 0 to 9, not \(level)")
        }
    }

    deinit { cg_png_writer_free(handle) }

    var rowBytes: Int { width * channels * bitDepth / 8 }
    var takesPlainSamples: Bool { bitDepth == 8 }

    var clampsWhileConverting: Bool { channels % 2 == 1 }  // no alpha plane among the counted ones

    func convert(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        if bitDepth == 16 {
            PixelConversion.interleave16(planes, planeStride: planeStride, channels: channels, count: rows * width, into: dst)
        } else {
            PixelConversion.interleave8(planes, planeStride: planeStride, channels: channels, count: rows * width, into: dst)
        }
    }

    func write(_ rows: UnsafePointer<UInt8>, count: Int) throws {
        if cg_png_writer_rows(handle, rows, rowBytes, UInt32(count)) != 0 { throw failure() }
    }

    func finish() throws -> [String] {
        if cg_png_writer_finish(handle) != 0 { throw failure() }
        // libpng's write-side remarks on a carried-over profile ("known incorrect sRGB profile", "profile matches
        // sRGB but writing iCCP instead") concern the source file, which the decoder already reported.
        return cg_png_writer_log(handle)!.pointee.warningList.filter { !$0.contains("profile") }
    }

    /// The output's own failure (a write error, the byte fault) when writing failed, else libpng's message.
    private func failure() -> ImageCodecError {
        output.failure(orElse: ImageCodecError.cannotWrite(path: output.name, reason: "PNG error: \(cg_png_writer_log(handle)!.pointee.errorMessage)"))
    }
}

/// An encoder that takes a file's planes in strips of whole rows, top to bottom, and writes the file to its
/// ``OutputFile`` as they come (a text grid: at the end).
/// ``convert(_:planeStride:rows:into:)`` touches no encoder state, so it may run on another thread than
/// ``write(_:count:)``; ``append(_:planeStride:rows:)`` does both, 16 rows at a time.
protocol RowEncoder: AnyObject {
    /// Values per row of one plane.
    var width: Int { get }
    /// Bytes of one converted row (of every plane).
    var rowBytes: Int { get }
    /// Whether converted rows are plain interleaved 8-bit samples of the image's channels.
    var takesPlainSamples: Bool { get }
    /// Whether ``convert(_:planeStride:rows:into:)`` writes every channel as it is, clamped to [0, 1] (as
    /// ``/ImageFilters/ValuePolicy`` `clamp` would), and counts the samples it clamped; false when alpha is composited or written.
    var clampsWhileConverting: Bool { get }
    /// Converts `rows` rows of every plane (plane p's rows start at `planes + p·planeStride`, each row
    /// `width` floats) into the samples the library takes, `rowBytes` per row, at `dst`. Returns how many
    /// samples were clamped to [0, 1] when ``clampsWhileConverting`` (otherwise a count not to be used).
    @discardableResult
    func convert(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int
    /// Encodes `count` converted rows, `rowBytes` apart.
    func write(_ rows: UnsafePointer<UInt8>, count: Int) throws
    /// Ends the file, once every row has been written (everything reaches the ``OutputFile``); the library's warnings.
    func finish() throws -> [String]
}

extension RowEncoder {
    /// Converts and writes `rows` rows, 16 at a time through a small buffer.
    func append(_ planes: UnsafePointer<Float>, planeStride: Int, rows: Int) throws {
        var scratch = [UInt8](repeating: 0, count: 16 * rowBytes)
        try scratch.withUnsafeMutableBufferPointer { buffer in
            var y = 0
            while y < rows {
                let count = min(16, rows - y)
                convert(planes + y * width, planeStride: planeStride, rows: count, into: buffer.baseAddress!)
                try write(buffer.baseAddress!, count: count)
                y += count
            }
        }
    }
}

/// Calls `body` with a pointer to `bytes` and its length, or (nil, 0).
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?, Int) -> R) -> R {
    guard let bytes, !bytes.isEmpty else { return body(nil, 0) }
    return bytes.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
}
