import TensorEngine

/// Reads any input imgconv reads — PNG, JPEG, `.npy` or a text grid — row by row: each ``read(rows:)`` decodes
/// the next rows, top to bottom, of every plane, with the values ``ImageFile/read(_:options:)-(String,_)`` gives.
/// Rows come as stored: the EXIF orientation is not applied (``orientation`` says what it is).
///
/// The file is read as the rows are asked for, never whole: libpng and libjpeg read it through a 64 KiB
/// window, a `.npy` file's rows are read from each plane's offset; only a text grid (small by nature) is
/// parsed whole and served by rows. (Standard input is held whole, as a pipe can be read only once.)
/// Interlaced PNGs are decoded whole on the first read (every Adam7 pass is needed for any row), into 8-bit
/// or 16-bit samples; progressive JPEGs make libjpeg hold the whole image's coefficients (at most 256 MiB or 64 times
/// the file's size, whichever is more; beyond it opening throws ``ImageCodecError/limitExceeded(path:limit:reason:)``
/// with ``ImageCodecError/Limit/fileSize``).
public final class ImageReader {
    /// The input's name in messages: its path, or "standard input".
    public let path: String
    /// As ``ImageFile/read(_:options:)-(String,_)`` reports it (with `options.autoOrient`).
    public let metadata: ImageMetadata
    /// (N, C, H, W) as stored: images (1, C, H, W); `.npy` tensors any N and C; text grids (1, 1, H, W).
    public let shape: TensorShape
    /// The EXIF orientation (JPEG APP1, PNG eXIf), 1...8; rows come as stored, not turned. 1 for `.npy` and text grids.
    public let orientation: Int
    private let decoder: any RowDecoder
    private let input: ImageInput
    private let options: DecodeOptions
    /// Rows of each plane delivered so far, 0...``shape``.h; the next read starts at this row.
    public private(set) var rowsRead = 0

    /// Opens the file at `path` and reads its header.
    public convenience init(_ path: String, options: DecodeOptions = .init()) throws {
        try self.init(ImageInput(.file(path)), options: options)
    }

    /// Reads the header of an input already opened (a file or standard input), in any format imgconv reads.
    public init(_ input: ImageInput, options: DecodeOptions = .init()) throws {
        decoder = try openRowDecoder(input, options: options)
        self.input = input
        self.options = options
        path = input.name
        shape = decoder.shape
        metadata = decoder.metadata
        orientation = decoder.orientation
    }

    /// The next `rows` rows (clipped to those left) of every plane, as an (N, C, rows, W) tensor.
    public func read(rows: Int) throws -> Tensor {
        let count = min(rows, shape.h - rowsRead)
        let tensor = try decoder.read(rows: count)
        rowsRead += count
        return tensor
    }

    /// Decodes the next `rows` rows (at most those left) of every plane straight into caller-owned planes:
    /// plane p's rows (p = n·C + c, NCHW order) go to `planes + p·planeStride`, each row ``shape``.w floats.
    /// For building strips without a copy.
    package func read(rows: Int, into planes: UnsafeMutablePointer<Float>, planeStride: Int) throws {
        let count = min(rows, shape.h - rowsRead)
        if count > 0 { try decoder.read(into: planes, planeStride: planeStride, rows: count) }
        rowsRead += count
    }

    /// Bytes per row when the file's samples are plain 8-bit and interleaved in the tensor's channel order
    /// (gray or RGB JPEG; 8-bit, non-interlaced PNG after expansion), so that ``readSamples(rows:)`` can hand them
    /// over as they are; nil otherwise (CMYK JPEG, 16-bit or interlaced PNG, `.npy`, text grids).
    package var sampleRowBytes: Int? { decoder.sampleRowBytes }

    /// The next `rows` rows (at most those left) as the file's 8-bit samples, without going through Float:
    /// for a conversion to an 8-bit file, where v/255 quantised back is v again. Needs ``sampleRowBytes``.
    package func readSamples(rows: Int) throws -> ConvertedRows {
        guard let rowBytes = decoder.sampleRowBytes else { preconditionFailure("\(path): samples are not plain 8-bit") }
        let count = min(rows, shape.h - rowsRead)
        let bytes = try [UInt8](unsafeUninitializedCapacity: count * rowBytes) { out, initialized in
            initialized = count > 0 ? try readSamples(rows: count, into: out.baseAddress!) * rowBytes : 0
        }
        return ConvertedRows(bytes: bytes, rows: count, clamped: nil)
    }

    /// As ``readSamples(rows:)``, into caller-owned memory of at least `rows` × ``sampleRowBytes`` bytes;
    /// returns how many rows were read (at most those left).
    package func readSamples(rows: Int, into destination: UnsafeMutablePointer<UInt8>) throws -> Int {
        precondition(decoder.sampleRowBytes != nil, "\(path): samples are not plain 8-bit")
        let count = min(rows, shape.h - rowsRead)
        if count > 0 { try decoder.readSamples(into: destination, rows: count) }
        rowsRead += count
        return count
    }

    /// A second reader of the same input with the same options, at its first row (the input is read with pread,
    /// so the two decode independently).
    package func twin() throws -> ImageReader { try ImageReader(input, options: options) }

    /// Skips the next `rows` rows (at most those left) without making their samples, when the decoder can do so
    /// faster than decoding them: a single-scan JPEG under libjpeg-turbo, whose entropy-coded data is still read
    /// (errors and warnings are the same) but not transformed. Returns false, having read nothing, otherwise.
    package func skip(rows: Int) throws -> Bool {
        let count = min(rows, shape.h - rowsRead)
        guard let jpeg = decoder as? JPEGRowDecoder, try jpeg.skip(rows: count) else { return false }
        rowsRead += count
        return true
    }

    /// Checks the end of the file (after the last row): the proof ``ImageWriter/finish(after:)`` needs
    /// before it commits an output made from these rows, with the library's warnings. Throws when the file
    /// is damaged after its last row. (`.npy` and text grids have nothing after their values to check.)
    public func finish() throws -> DecoderEnd { DecoderEnd(warnings: try decoder.finish()) }
}

/// The row decoder for `input`'s format, found from its first bytes (text grids by the name's extension),
/// with its header read.
func openRowDecoder(_ input: ImageInput, options: DecodeOptions) throws -> any RowDecoder {
    let file = input.file, path = input.name
    switch try ImageFile.format(of: file.bytes(at: 0, count: 8, name: path), fileSize: file.count, path: path) {
    case .png: return try PNGRowDecoder(file, path: path, options: options)
    case .jpeg: return try JPEGRowDecoder(file, path: path, options: options)
    case .npy: return try NumpyRowDecoder(file, path: path)
    case .text: return try TextGridRowDecoder(file, path: path)
    }
}

/// A decoder that delivers a file's planes in strips of whole rows, top to bottom.
protocol RowDecoder: AnyObject {
    /// (N, C, H, W) as stored.
    var shape: TensorShape { get }
    var metadata: ImageMetadata { get }
    /// The EXIF orientation, 1...8 (1 for tensors).
    var orientation: Int { get }
    /// Decodes the next `rows` rows: plane p's rows go to `planes + p·planeStride`, each row `width` floats.
    func read(into planes: UnsafeMutablePointer<Float>, planeStride: Int, rows: Int) throws
    /// Bytes per row of plain interleaved 8-bit samples, or nil (see ``ImageReader/sampleRowBytes``).
    var sampleRowBytes: Int? { get }
    /// Decodes the next `rows` rows as 8-bit samples, `sampleRowBytes` per row. Needs `sampleRowBytes`.
    func readSamples(into dst: UnsafeMutablePointer<UInt8>, rows: Int) throws
    /// Reads the rest of the file and returns the warnings.
    func finish() throws -> [String]
    /// Every row, top to bottom, as one tensor (before ``finish()``).
    func readAll() throws -> Tensor
}

extension RowDecoder {
    /// Every row, top to bottom, into a tensor that grows as rows arrive (images, whose header may lie), so that memory follows what the file
    /// really holds, not the height its header claims: a 2 KB file declaring 16000×16000 fails after its few
    /// real rows, having held a buffer for about twice those, instead of reserving gigabytes first.
    ///
    /// The buffer holds ⌈H/2ᵏ⌉ rows, then ⌈H/2ᵏ⁻¹⌉, …, then H (starting near ``firstGrowthRows``); each step
    /// copies the rows decoded so far. So the rows are copied less than once in all, and the largest step holds
    /// the final tensor plus its first half: a whole-image decode peaks at 1.5 × the tensor, for a moment.
    func readAll() throws -> Tensor { try readAllGrowing() }

    func readAllGrowing() throws -> Tensor {
        let full = shape, width = full.w, channels = full.planeCount
        var capacities = [full.h]
        while capacities.last! > 2 * firstGrowthRows { capacities.append((capacities.last! + 1) / 2) }
        var partial: [Float] = [], done = 0, partialRows = 0
        // Channel c's first `done` rows move from `partial` (planes of `partialRows` rows) into `out` (planes of `rows`).
        func grow(into out: UnsafeMutableBufferPointer<Float>, rows: Int) throws {
            partial.withUnsafeBufferPointer { old in
                for c in 0..<channels where done > 0 {
                    (out.baseAddress! + c * rows * width).update(from: old.baseAddress! + c * partialRows * width, count: done * width)
                }
            }
            if rows > done { try read(into: out.baseAddress! + done * width, planeStride: rows * width, rows: rows - done) }
        }
        for rows in capacities.reversed().dropLast() {
            let next = try [Float](unsafeUninitializedCapacity: channels * rows * width) { out, count in
                try grow(into: out, rows: rows)
                count = channels * rows * width
            }
            partial = next
            (done, partialRows) = (rows, rows)
        }
        return try Tensor(shape: full) { out in
            if full.count > 0 { try grow(into: out, rows: full.h) }
        }
    }

    /// Rows decoded before the buffer of ``readAll()`` first grows: 64, or fewer for very wide images
    /// (at most about 16 MB of Float).
    private var firstGrowthRows: Int { max(1, min(64, (16 << 20) / max(1, 4 * shape.planeCount * shape.w))) }

    /// The next `rows` rows as an (N, C, rows, W) tensor.
    func read(rows: Int) throws -> Tensor {
        let strip = TensorShape(n: shape.n, c: shape.c, h: rows, w: shape.w)
        return try Tensor(shape: strip) { out in
            if strip.count > 0 { try read(into: out.baseAddress!, planeStride: strip.planeSize, rows: rows) }
        }
    }
}
