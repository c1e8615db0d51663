import Dispatch
import ImageCodecs
import Locking
import TensorEngine

/// A whole picture as decoded, for turning (``DecoderSource/Rows/turned``): the file's 8-bit samples in chunks of
/// ``chunkRows`` stored rows (``SampleChunks``: memory follows the rows that really arrive, with no copy as it
/// grows), or Float planes for other samples (16-bit, CMYK).
struct HeldPicture {
    let shape: TensorShape
    private let samples: SampleChunks?
    private let planes: Tensor?
    static let chunkRows = 64

    private init(shape: TensorShape, samples: SampleChunks?, planes: Tensor?) {
        self.shape = shape
        self.samples = samples
        self.planes = planes
    }

    /// The whole picture of `reader` (at its first row), and the end check of the file.
    ///
    /// Nothing downstream can start before the last stored row is decoded, so both cores decode: when the
    /// reader can skip rows (``/ImageCodecs/ImageReader/skip(rows:)``: a single-scan JPEG), a second reader of the
    /// same file skips the top two thirds (its entropy-coded data still read, not transformed) and decodes the last
    /// third while this thread decodes the top two thirds. Skipping costs about half of decoding (djpeg on the
    /// 12 MP photo: 0.04 s of CPU to skip all rows, 0.075 s to decode them), so both readers finish at about the
    /// same time. The parts meet at a multiple of ``chunkRows``; the rows are those one
    /// reader would make (libjpeg-turbo keeps the upsampling context across a skip; the streaming oracle compares).
    /// The second reader reads the whole file, so its end check and warnings are the file's; the first stops at
    /// the meeting row. A failure of the top part is reported before one of the bottom part, as one reader would.
    static func decode(_ reader: ImageReader) throws -> (HeldPicture, DecoderEnd) {
        let shape = reader.shape
        guard let rowBytes = reader.sampleRowBytes else {
            var parts: [Tensor] = []
            while reader.rowsRead < shape.h { parts.append(try reader.read(rows: chunkRows)) }
            return (HeldPicture(shape: shape, samples: nil, planes: Tensor.concatenatingRows(parts)), try reader.finish())
        }
        let top = SampleChunks(rowBytes: rowBytes)
        let meeting = meetingRow(height: shape.h)
        guard meeting > 0, reader.metadata.format == .jpeg else {
            try top.read(reader, upTo: shape.h)
            return (HeldPicture(shape: shape, samples: top, planes: nil), try reader.finish())
        }
        let bottom = Lock<Result<(SampleChunks, DecoderEnd)?, any Error>>(.success(nil))
        let done = DispatchGroup()
        let box = UncheckedBox(reader)
        DispatchQueue(label: "imgconv.decode.bottom").async(group: done) {
            bottom.withLock { result in
                result = Result {
                    let twin = try box.value.twin()
                    guard try twin.skip(rows: meeting) else { return nil }
                    let rest = SampleChunks(rowBytes: rowBytes)
                    try rest.read(twin, upTo: shape.h)
                    return (rest, try twin.finish())
                }
            }
        }
        do { try top.read(reader, upTo: meeting) } catch { done.wait(); throw error }
        done.wait()
        guard let (rest, end) = try bottom.withLock({ try $0.get() }) else {
            // This libjpeg or this file cannot skip: one reader does it all.
            try top.read(reader, upTo: shape.h)
            return (HeldPicture(shape: shape, samples: top, planes: nil), try reader.finish())
        }
        top.append(rest)
        return (HeldPicture(shape: shape, samples: top, planes: nil), end)
    }

    /// Where the two readers of ``decode(_:)`` meet: two thirds down, at a multiple of ``chunkRows`` (0: one reader).
    static func meetingRow(height: Int) -> Int { height * 2 / 3 / chunkRows * chunkRows }

    /// Displayed rows `rows`, turned by `map`: the file's 8-bit samples as interleaved displayed rows (turned whole,
    /// a pixel of C bytes at a time, each stored row read along its length) when the picture holds samples (kept so by
    /// the consumer, ``/TensorEngine/SampleRows``); else
    /// (1, C, rows, displayed width) Float planes, turned value by value.
    func turned(_ map: OrientationMap, rows: Range<Int>) -> DecodedStrip {
        let channels = shape.c
        guard let samples else {
            let out = TensorShape(n: 1, c: channels, h: rows.count, w: map.width)
            return .planes(Tensor(shape: out) { destination in
                guard out.count > 0 else { return }
                planes!.withUnsafeBufferPointer { p in
                    let base = p.baseAddress!, width = shape.w
                    map.turn(rows: rows, channels: channels, into: destination.baseAddress!, planeSize: out.planeSize,
                             storedRow: { base + $0 * width }, channelStride: shape.planeSize, pixelStride: 1, value: { $0 })
                }
            })
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: rows.count * map.width * channels) { buffer, initialized in
            initialized = buffer.count
            guard buffer.count > 0 else { return }
            map.turnSamples(rows: rows, channels: channels, into: buffer.baseAddress!, storedRow: samples.row)
        }
        return .samples(ConvertedRows(samples: bytes, rows: rows.count))
    }
}

/// Rows of 8-bit samples held in chunks of ``HeldPicture/chunkRows`` rows, each allocated as its rows arrive and
/// freed with the object. One thread fills it; it is then handed over (``HeldPicture/decode(_:)``) and only read.
final class SampleChunks: @unchecked Sendable {
    let rowBytes: Int
    private(set) var rows = 0
    private var chunks: [UnsafeMutablePointer<UInt8>] = []

    init(rowBytes: Int) { self.rowBytes = rowBytes }

    /// Reads `reader`'s rows from its next one up to row `end`.
    func read(_ reader: ImageReader, upTo end: Int) throws {
        let chunkRows = HeldPicture.chunkRows
        while reader.rowsRead < end {
            precondition(rows % chunkRows == 0, "rows are added after a partial chunk")
            let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkRows * rowBytes)
            chunks.append(chunk)
            rows += try reader.readSamples(rows: min(chunkRows, end - reader.rowsRead), into: chunk)
        }
    }

    /// Takes `other`'s rows, to follow these (which end at a whole chunk).
    func append(_ other: SampleChunks) {
        precondition(rows % HeldPicture.chunkRows == 0 && other.rowBytes == rowBytes)
        chunks += other.chunks
        rows += other.rows
        other.chunks = []
        other.rows = 0
    }

    /// The first sample of row `row`.
    func row(_ row: Int) -> UnsafePointer<UInt8> {
        UnsafePointer(chunks[row / HeldPicture.chunkRows] + row % HeldPicture.chunkRows * rowBytes)
    }

    deinit { for chunk in chunks { chunk.deallocate() } }
}
