import TensorEngine

/// Writes a PNG or JPEG file strip by strip: Float planes in, top to bottom; the file is written
/// atomically (``AtomicFile``) by ``finish(after:)``, once the input's decoder has read its file to the end. ``ImageFile/write(_:to:source:options:)`` is this with one strip.
///
/// The format comes from `path`'s extension; `source` (the metadata of the file the pixels came from)
/// supplies defaults, as for ``ImageFile/write(_:to:source:options:)``: 16-bit PNG output when the source
/// was a 16-bit PNG, the source's ICC profile when it fits the channel count, and the source's EXIF and XMP
/// (``EmbeddedMetadata``; EXIF's Orientation set to the source metadata's `orientation`, which a job that turned
/// the pixels sets to 1) unless ``EncodeOptions/stripMetadata``.
public final class ImageWriter {
    /// The output's name in messages: its path, or "standard output".
    public let path: String
    public let destination: ImageDestination
    public let width: Int, height: Int, channels: Int
    private let encoder: any RowEncoder
    private let format: ImageFormat
    /// The source's EXIF (its orientation tag set to the source metadata's) and XMP, unless stripped.
    private let carried: EmbeddedMetadata
    private var rowsWritten = 0
    private let fault: WriteFault?

    /// Checks the size and options and writes the header. `.npy` paths are refused (tensors are written whole).
    public convenience init(path: String, width: Int, height: Int, channels: Int, source: ImageMetadata?,
                            options: EncodeOptions = .init()) throws {
        try self.init(destination: .file(path), width: width, height: height, channels: channels, source: source, options: options)
    }

    /// The same for a file or standard output (the format given with it); ``finish()`` writes there.
    public init(destination: ImageDestination, width: Int, height: Int, channels: Int, source: ImageMetadata?,
                options: EncodeOptions = .init()) throws {
        let path = destination.name
        let format = try destination.format()
        self.destination = destination
        guard (1...4).contains(channels) else {
            throw ImageCodecError(path: path, reason: "cannot write a tensor with \(channels) channels as an image: it needs N = 1 and 1 to 4 channels")
        }
        guard width > 0, height > 0 else {
            throw ImageCodecError(path: path, reason: "cannot write an empty \(width)×\(height) image")
        }
        self.path = path
        self.width = width
        self.height = height
        self.channels = channels
        fault = options.fault?.applying(to: path)
        let icc = ICCProfile.compatible(options.iccProfile ?? source?.iccProfile, channels: channels)
        var carried = options.stripMetadata ? EmbeddedMetadata() : source?.embedded ?? EmbeddedMetadata()
        carried.exif = carried.exif.map { ExifOrientation.setting($0, to: source?.orientation ?? 1) }
        self.carried = carried
        self.format = format
        switch format {
        case .npy, .text:
            throw ImageCodecError(path: path, reason: "\(format == .npy ? ".npy files" : "text grids") are written whole, not strip by strip")
        case .png:
            let sixteen = source.map { $0.format == .png && $0.bitDepth == 16 } ?? false
            encoder = try PNGEncoder(width: width, height: height, channels: channels, bitDepth: options.bitDepth ?? (sixteen ? 16 : 8),
                                     compressionLevel: options.compressionLevel, iccProfile: icc, path: path)
        case .jpeg:
            if let depth = options.bitDepth, depth != 8 {
                throw ImageCodecError(path: path, reason: "JPEG stores 8-bit samples only, not \(depth)-bit")
            }
            encoder = try JPEGEncoder(width: width, height: height, channels: channels, quality: options.quality,
                                      background: options.background, iccProfile: icc, path: path)
        }
    }

    /// Appends rows `rows` (default: all) of `strip` (N = 1, the writer's channels and width) below those already written.
    public func append(_ strip: Tensor, rows: Range<Int>? = nil) throws {
        let rows = rows ?? 0..<strip.h
        precondition(strip.n == 1 && strip.c == channels && strip.w == width, "strip \(strip.shape) does not fit a \(width)-wide \(channels)-channel image")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= strip.h, "rows \(rows) outside the strip's \(strip.h)")
        precondition(rowsWritten + rows.count <= height, "more than \(height) rows appended")
        if rows.isEmpty { return }
        let count = rowsBeforeFault(rows.count)
        try strip.withUnsafeBufferPointer { planes in
            try encoder.append(planes.baseAddress! + rows.lowerBound * width, planeStride: strip.shape.planeSize, rows: count)
        }
        rowsWritten += count
        if count < rows.count, let fault { throw fault.error(path: path, "cannot encode row \(rowsWritten)") }
    }

    /// Rows `rows` of `strip` converted to the file's samples, ready for ``append(_:)-(ConvertedRows)``.
    /// Touches nothing ``append(_:)-(ConvertedRows)`` changes, so one thread may convert the next strip while
    /// another encodes this one.
    public func convert(_ strip: Tensor, rows: Range<Int>) -> ConvertedRows {
        precondition(strip.n == 1 && strip.c == channels && strip.w == width, "strip \(strip.shape) does not fit a \(width)-wide \(channels)-channel image")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= strip.h, "rows \(rows) outside the strip's \(strip.h)")
        let encoder = encoder
        var clamped = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: rows.count * encoder.rowBytes) { out, count in
            strip.withUnsafeBufferPointer { planes in
                if !rows.isEmpty {
                    clamped = encoder.convert(planes.baseAddress! + rows.lowerBound * width, planeStride: strip.shape.planeSize,
                                              rows: rows.count, into: out.baseAddress!)
                }
            }
            count = rows.count * encoder.rowBytes
        }
        return ConvertedRows(bytes: bytes, rows: rows.count, clamped: encoder.clampsWhileConverting ? clamped : nil)
    }

    /// Whether ``convert(_:rows:)`` writes every channel as it is (no alpha), so that converting clamps each
    /// value to [0, 1] exactly as ``ConvertedRows/clamped`` counts: then a separate clamp pass before it
    /// changes no pixel. False when alpha is written or composited.
    public var clampsWhileConverting: Bool { encoder.clampsWhileConverting }

    /// Bytes per row when the file takes plain interleaved 8-bit samples of its channels (8-bit PNG; JPEG
    /// without alpha to composite), so that ``ImageReader/readSamples(rows:)`` rows can be appended as they are.
    public var sampleRowBytes: Int? { encoder.takesPlainSamples ? encoder.rowBytes : nil }

    /// Appends rows made by ``convert(_:rows:)`` (or ``ImageReader/readSamples(rows:)`` when the
    /// ``sampleRowBytes`` agree) below those already written.
    public func append(_ converted: ConvertedRows) throws {
        precondition(rowsWritten + converted.rows <= height, "more than \(height) rows appended")
        if converted.rows == 0 { return }
        let count = rowsBeforeFault(converted.rows)
        if count > 0 { try converted.bytes.withUnsafeBufferPointer { try encoder.write($0.baseAddress!, count: count) } }
        rowsWritten += count
        if count < converted.rows, let fault { throw fault.error(path: path, "cannot encode row \(rowsWritten)") }
    }

    /// Ends the file and writes it: the one place an image output is committed (a path atomically; standard
    /// output only now, in one go). `decoderEnd` is the input decoder's proof that it read its file to the end
    /// (``ImageReader/finish()``), or ``DecoderEnd/noFileBeingRead`` for pixels that are not being read from a
    /// file; see ``DecoderEnd``. Returns the encoder's warnings and notices (e.g. "alpha composited onto
    /// white"). Every row must have been appended.
    @discardableResult
    public func finish(after decoderEnd: DecoderEnd) throws -> [String] {
        precondition(rowsWritten == height, "\(rowsWritten) of \(height) rows appended")
        if let fault, fault.stage == .encodeFinish { throw fault.error(path: path, "cannot end the file") }
        let encoded = try encoder.finish()
        let file = carried.inserted(into: encoded.bytes, format: format)
        try destination.write(file.bytes, fault: fault)
        return encoded.warnings + file.notices
    }

    /// How many of the next `count` rows go to the encoder before an injected ``WriteFault`` (all without one).
    private func rowsBeforeFault(_ count: Int) -> Int {
        guard case .encodeRow(let row)? = fault?.stage, row < rowsWritten + count else { return count }
        return max(row - rowsWritten, 0)
    }
}

/// Rows converted to a file's 8- or 16-bit samples by ``ImageWriter/convert(_:rows:)``.
public struct ConvertedRows: Sendable {
    /// The samples, row after row, interleaved as the file stores them.
    public let bytes: [UInt8]
    /// How many rows.
    public let rows: Int
    /// How many converted values lay outside [0, 1] (NaN included) and were clamped; nil when the writer
    /// composites or writes alpha (``ImageWriter/clampsWhileConverting`` is false).
    public let clamped: Int?
}
