import TensorEngine

/// Writes any file imgconv writes — PNG, JPEG, `.npy` or a text grid — strip by strip: Float planes in, top to
/// bottom, and the file out into a temporary file beside the output as the rows arrive (no whole PNG or JPEG is
/// held in memory; `.npy` rows go to each plane's offset); ``finish(after:)`` renames it over the output,
/// once the input's decoder has read its file to the end. ``ImageFile/write(_:to:source:options:)-(_,String,_,_)`` is this
/// with one strip. A writer that fails, or is dropped before ``finish(after:)``, removes its temporary file.
///
/// The format comes from the destination (a path's extension, or the format given for standard output);
/// `source` (the metadata of the file the pixels came from) supplies defaults, as for
/// ``ImageFile/write(_:to:source:options:)-(_,String,_,_)``: 16-bit PNG output when the source was a 16-bit PNG, the source's
/// ICC profile when it fits the channel count, and the source's EXIF and XMP (``EmbeddedMetadata``; EXIF's
/// Orientation set to the source metadata's `orientation`, which a job that turned the pixels sets to 1) unless
/// ``EncodeOptions/stripMetadata``. They are written at the start: JPEG APP1 segments right after SOI and the
/// JFIF APP0, PNG `eXIf` and `iTXt` chunks right after IHDR. A text grid is the one format written at the end
/// (its column width depends on every value; grids are small).
public final class ImageWriter {
    /// The output's name in messages: its path, or "standard output".
    public let path: String
    /// Where the file goes, as given.
    public let destination: ImageDestination
    /// (N, C, H, W) of what is written: images N = 1, C 1...4; `.npy` any; text grids (1, 1, H, W).
    public let shape: TensorShape
    /// W, ``shape``'s width in pixels.
    public var width: Int { shape.w }
    /// H, ``shape``'s height in rows.
    public var height: Int { shape.h }
    /// C, ``shape``'s channel count.
    public var channels: Int { shape.c }
    private let encoder: any RowEncoder
    private let output: OutputFile
    /// Notices about carried metadata (a block too large for JPEG), returned by ``finish(after:)``.
    private let notices: [String]
    private var rowsWritten = 0
    private let fault: WriteFault?

    /// An image writer (N = 1): ``init(destination:shape:source:options:)`` with shape (1, channels, height, width).
    public convenience init(path: String, width: Int, height: Int, channels: Int, source: ImageMetadata?,
                            options: EncodeOptions = .init()) throws {
        try self.init(destination: .file(path), width: width, height: height, channels: channels, source: source, options: options)
    }

    /// An image writer (N = 1) for a file or standard output.
    public convenience init(destination: ImageDestination, width: Int, height: Int, channels: Int, source: ImageMetadata?,
                            options: EncodeOptions = .init()) throws {
        try self.init(destination: destination, shape: TensorShape(n: 1, c: channels, h: height, w: width), source: source, options: options)
    }

    /// Checks the shape and options, creates the temporary file and writes the header (with the carried
    /// metadata). PNG and JPEG need N = 1 and C = 1...4 and a non-empty image; text grids (1, 1, H, W);
    /// `.npy` takes any shape.
    ///
    /// Throws ``ImageCodecError/invalidParameter(path:reason:)`` for an extension no format has, a shape the
    /// format cannot hold or an option out of range (``EncodeOptions``), before any file exists;
    /// ``ImageCodecError/notFound(path:reason:)`` when the output's folder does not exist;
    /// ``ImageCodecError/cannotWrite(path:reason:)`` when the temporary file cannot be created or written.
    public init(destination: ImageDestination, shape: TensorShape, source: ImageMetadata?,
                options: EncodeOptions = .init()) throws {
        let path = destination.name
        let format = try destination.format()
        self.destination = destination
        self.path = path
        self.shape = shape
        fault = options.fault?.applying(to: path)
        let icc = ICCProfile.compatible(options.iccProfile ?? source?.iccProfile, channels: shape.c)
        var carried = options.stripMetadata ? EmbeddedMetadata() : source?.embedded ?? EmbeddedMetadata()
        carried.exif = carried.exif.map { ExifOrientation.setting($0, to: source?.orientation ?? 1) }
        // Everything that can be refused is checked before the temporary file exists.
        let bitDepth: Int
        switch format {
        case .npy:
            bitDepth = 32
        case .text:
            try TextGridFile.checkShape(shape, path: path)
            bitDepth = 32
        case .png, .jpeg:
            guard shape.n == 1, (1...4).contains(shape.c) else {
                throw ImageCodecError.invalidParameter(path: path, reason: "cannot write a tensor of shape \(shape) as an image: it needs N = 1 and 1 to 4 channels")
            }
            guard shape.w > 0, shape.h > 0 else {
                throw ImageCodecError.invalidParameter(path: path, reason: "cannot write an empty \(shape.w)×\(shape.h) image")
            }
            if format == .png {
                let sixteen = source.map { $0.format == .png && $0.bitDepth == 16 } ?? false
                bitDepth = options.bitDepth ?? (sixteen ? 16 : 8)
                try PNGEncoder.check(bitDepth: bitDepth, compressionLevel: options.compressionLevel, path: path)
            } else {
                if let depth = options.bitDepth, depth != 8 {
                    throw ImageCodecError.invalidParameter(path: path, reason: "JPEG stores 8-bit samples only, not \(depth)-bit")
                }
                try JPEGEncoder.check(quality: options.quality, path: path)
                bitDepth = 8
            }
        }
        let output = try OutputFile(destination, fault: options.fault)
        self.output = output
        switch format {
        case .npy:
            encoder = try NumpyRowEncoder(shape: shape, output: output)
            notices = []
        case .text:
            encoder = TextGridRowEncoder(shape: shape, output: output)
            notices = []
        case .png:
            encoder = try PNGEncoder(width: shape.w, height: shape.h, channels: shape.c, bitDepth: bitDepth,
                                     compressionLevel: options.compressionLevel, iccProfile: icc,
                                     afterHeader: carried.pngChunks(), output: output)
            notices = []
        case .jpeg:
            let segments = carried.jpegSegments()
            encoder = try JPEGEncoder(width: shape.w, height: shape.h, channels: shape.c, quality: options.quality,
                                      background: options.background, iccProfile: icc, markers: segments.payloads, output: output)
            notices = segments.notices
        }
    }

    /// Appends rows `rows` (default: all) of `strip` (the writer's N, C and width) below those already written.
    public func append(_ strip: Tensor, rows: Range<Int>? = nil) throws {
        let rows = rows ?? 0..<strip.h
        checkFits(strip, rows: rows)
        precondition(rowsWritten + rows.count <= height, "more than \(height) rows appended")
        if rows.isEmpty { return }
        let count = rowsBeforeFault(rows.count)
        try failing {
            try strip.withUnsafeBufferPointer { planes in
                try encoder.append(planes.baseAddress! + rows.lowerBound * width, planeStride: strip.shape.planeSize, rows: count)
            }
            rowsWritten += count
            if count < rows.count, let fault { throw fault.error(path: path, "cannot encode row \(rowsWritten)") }
        }
    }

    /// Rows `rows` of `strip` converted to the file's samples, ready for ``append(_:)-(ConvertedRows)``
    /// (for `.npy` and text grids: the values' little-endian Float32 bytes, plane after plane).
    /// Touches nothing ``append(_:)-(ConvertedRows)`` changes, so one thread may convert the next strip while
    /// another encodes this one.
    package func convert(_ strip: Tensor, rows: Range<Int>) -> ConvertedRows {
        checkFits(strip, rows: rows)
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
    /// changes no pixel. False when alpha is written or composited, and for `.npy` and text grids (nothing is clamped).
    package var clampsWhileConverting: Bool { encoder.clampsWhileConverting }

    /// Bytes per row when the file takes plain interleaved 8-bit samples of its channels (8-bit PNG; JPEG
    /// without alpha to composite), so that ``ImageReader/readSamples(rows:)`` rows can be appended as they are.
    package var sampleRowBytes: Int? { encoder.takesPlainSamples ? encoder.rowBytes : nil }

    /// Appends rows made by ``convert(_:rows:)`` (or ``ImageReader/readSamples(rows:)`` when the
    /// ``sampleRowBytes`` agree) below those already written.
    package func append(_ converted: ConvertedRows) throws {
        precondition(rowsWritten + converted.rows <= height, "more than \(height) rows appended")
        precondition(converted.bytes.count == converted.rows * encoder.rowBytes, "rows converted for another writer")
        if converted.rows == 0 { return }
        let count = rowsBeforeFault(converted.rows)
        try failing {
            if count > 0 { try converted.bytes.withUnsafeBufferPointer { try encoder.write($0.baseAddress!, count: count) } }
            rowsWritten += count
            if count < converted.rows, let fault { throw fault.error(path: path, "cannot encode row \(rowsWritten)") }
        }
    }

    /// Ends the file and commits it: the one place an output is committed (a path by renaming the temporary
    /// file over it; standard output only now, in one go). `decoderEnd` is the input decoder's proof that it
    /// read its file to the end (``ImageReader/finish()``), or ``DecoderEnd/noFileBeingRead`` for pixels that
    /// are not being read from a file; see ``DecoderEnd``. Returns the encoder's warnings and notices (e.g.
    /// "alpha composited onto white"). Every row must have been appended.
    @discardableResult
    public func finish(after decoderEnd: DecoderEnd) throws -> [String] {
        precondition(rowsWritten == height, "\(rowsWritten) of \(height) rows appended")
        return try failing {
            if let fault, fault.stage == .encodeFinish { throw fault.error(path: path, "cannot end the file") }
            let warnings = try encoder.finish()
            try output.commit()
            return warnings + notices
        }
    }

    /// Ends the file as ``finish(after:)`` does, for a writer to ``ImageDestination/standardOutput(_:)``, and
    /// returns its bytes instead of copying them to standard output (``ImageFile/encode(_:as:source:options:)``).
    package func finishInMemory() throws -> (bytes: [UInt8], warnings: [String]) {
        precondition(rowsWritten == height, "\(rowsWritten) of \(height) rows appended")
        return try failing {
            let warnings = try encoder.finish()
            return (try output.commitToMemory(), warnings + notices)
        }
    }

    /// The bytes already in the temporary file (for tests: encoders write as rows arrive).
    var bytesInFile: Int { output.size }

    /// Runs `body`; when it throws, the temporary file is removed before the error goes on.
    private func failing<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch {
            output.discard()
            throw error
        }
    }

    private func checkFits(_ strip: Tensor, rows: Range<Int>) {
        precondition(strip.n == shape.n && strip.c == shape.c && strip.w == width, "strip \(strip.shape) does not fit a writer of shape \(shape)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= strip.h, "rows \(rows) outside the strip's \(strip.h)")
    }

    /// How many of the next `count` rows go to the encoder before an injected ``WriteFault`` (all without one).
    private func rowsBeforeFault(_ count: Int) -> Int {
        guard case .encodeRow(let row)? = fault?.stage, row < rowsWritten + count else { return count }
        return max(row - rowsWritten, 0)
    }
}

/// Rows converted to a file's samples by ``ImageWriter/convert(_:rows:)``.
package struct ConvertedRows: Sendable {
    /// The samples, row after row, interleaved as the file stores them.
    public let bytes: [UInt8]
    /// How many rows.
    public let rows: Int
    /// How many converted values lay outside [0, 1] (NaN included) and were clamped; nil when the writer
    /// composites or writes alpha (``ImageWriter/clampsWhileConverting`` is false), and for `.npy` and text grids.
    public let clamped: Int?

    /// `rows` rows of a file's own 8-bit samples, which nothing clamped (``clamped`` is nil).
    package init(samples bytes: [UInt8], rows: Int) {
        self.init(bytes: bytes, rows: rows, clamped: nil)
    }

    init(bytes: [UInt8], rows: Int, clamped: Int?) {
        self.bytes = bytes
        self.rows = rows
        self.clamped = clamped
    }
}
