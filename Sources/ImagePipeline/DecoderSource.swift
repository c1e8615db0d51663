import Dispatch
import ImageCodecs
import Locking
import Synchronization
import TensorEngine

/// The first stage of a file job: the input file decoded on its own thread while the stages work: the thread makes the rows in strips of `chunkRows`
/// rows, ahead of the requests (two strips at most, through a ``BoundedChannel``), and requests take rows from
/// those strips. When the file has plain 8-bit samples (``sampleRowBytes``), a strip crosses to the requesting
/// thread as those bytes (a ``DecodedStrip/samples(_:)``) and is kept as them (``/TensorEngine/SampleRows``): a
/// quarter of the bytes cross between cores, and the operation that reads the rows makes their Floats as it fills
/// its band scratch, in the cache of the core that computes (others get a Float copy of their window). How the strips are made is the ``Rows`` choice:
///
/// - ``Rows/stored``: as the file stores them (no EXIF orientation, or `--no-auto-orient`);
/// - ``Rows/mirrored``: each stored row read backwards (EXIF orientation 2): still no barrier;
/// - ``Rows/turned``: a barrier for EXIF orientations 3–8, whose first displayed row needs the last stored row or
///   a stored column. The whole picture is read first and held as the file's 8-bit samples when it has plain ones
///   (gray or RGB JPEG, 8-bit PNG: a quarter of the Float planes), in 64-row chunks (memory follows the rows that
///   really arrive), else as Float planes; displayed strips are then turned from it (``OrientationMap``), each
///   stored row read along its length, on this thread while the steps work on the previous strip.
///
/// A writer that takes the file's samples as they are (a plain conversion, see ``FileJob``) reads them with
/// ``nextSamples()`` when the source ``makesSamples``: then no Float row is made.
final class DecoderSource: RowStage {
    enum Rows: Equatable {
        case stored, mirrored, turned
    }

    let shape: TensorShape
    let name: String
    let rowsMade: Rows
    /// Bytes per displayed row of plain 8-bit samples (``shape``.w × ``shape``.c) when the reader has them
    /// (``/ImageCodecs/ImageReader/sampleRowBytes``), else nil.
    let sampleRowBytes: Int?
    /// The strips cross as the file's 8-bit samples (``DecodedStrip/samples(_:)``): the file has them.
    var makesSamples: Bool { sampleRowBytes != nil }
    /// Bytes held whole by a ``Rows/turned`` source (for `--verbose`).
    let heldBytes: Int
    private let storedShape: TensorShape
    private var cache: RowCache
    private let channel = BoundedChannel<Message>(capacity: 2)
    private let stop = StopFlag()
    private let thread = DispatchGroup()
    /// The decoder's last message (end, failure or stop) has been received.
    private var decoderDone = false
    /// The reader until ``start(_:)`` hands it to the decoder thread.
    private var reader: ImageReader?
    private let chunkRows: Int
    private var samplesPassed = 0

    private enum Message: Sendable {
        case strip(DecodedStrip)
        case end(DecoderEnd)
        case failed(any Error)
        case stopped
    }

    /// A ``Rows/turned`` source holds at most ``/TensorEngine/TensorShape/maxCount`` samples.
    init(_ reader: ImageReader, rows: Rows, chunkRows: Int) throws {
        storedShape = reader.shape
        name = reader.path
        rowsMade = rows
        self.chunkRows = max(1, chunkRows)
        var shape = reader.shape
        if rows == .turned {
            let map = OrientationMap(orientation: reader.orientation, storedWidth: shape.w, storedHeight: shape.h)
            let samples = shape.w.multipliedReportingOverflow(by: shape.h * shape.c)
            guard !samples.overflow, samples.partialValue <= TensorShape.maxCount else {
                throw ImageCodecError.limitExceeded(path: reader.path, limit: .heldValues, reason: "EXIF orientation \(reader.orientation) turns the picture, so it is held whole: \(shape.w)×\(shape.h)×\(shape.c) samples, more than the \(TensorShape.maxCount) a job may hold; read as stored (no auto-orientation), it streams")
            }
            (shape.h, shape.w) = (map.height, map.width)
            heldBytes = samples.partialValue * (reader.sampleRowBytes != nil ? 1 : 4)
        } else {
            heldBytes = 0
        }
        self.shape = shape
        sampleRowBytes = reader.sampleRowBytes != nil ? shape.w * shape.c : nil
        cache = RowCache(shape: shape)
        self.reader = reader
    }

    /// Starts the decoder thread (the first request does, for the rows chosen at ``init(_:rows:chunkRows:)``).
    func start() {
        guard let reader else { return }
        self.reader = nil
        let rows = rowsMade, samples = makesSamples
        let box = UncheckedBox(reader), channel = channel, stop = stop, chunk = chunkRows
        DispatchQueue(label: "imgconv.decode").async(group: thread) {
            let reader = box.value
            do {
                switch rows {
                case .stored, .mirrored:
                    while reader.rowsRead < reader.shape.h, !stop.isSet {
                        if samples {
                            let strip = try reader.readSamples(rows: chunk)
                            channel.send(.strip(.samples(rows == .mirrored ? Self.mirrored(strip, channels: reader.shape.c) : strip)))
                        } else {
                            let strip = try reader.read(rows: chunk)
                            channel.send(.strip(.planes(rows == .mirrored ? Self.mirrored(strip) : strip)))
                        }
                    }
                    channel.send(stop.isSet ? .stopped : .end(try reader.finish()))
                case .turned:
                    let (picture, end) = try HeldPicture.decode(reader)
                    let map = OrientationMap(orientation: reader.orientation, storedWidth: reader.shape.w, storedHeight: reader.shape.h)
                    var row = 0
                    while row < map.height, !stop.isSet {
                        channel.send(.strip(picture.turned(map, rows: row ..< min(row + chunk, map.height))))
                        row += chunk
                    }
                    channel.send(stop.isSet ? .stopped : .end(end))
                }
            } catch {
                channel.send(.failed(error))
            }
        }
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        start()
        cache.drop(below: keep)
        while cache.upperBound < rows.upperBound {
            guard case .strip(let strip) = try receive() else { throw PipelineError.interrupted(path: name, reason: "the decoder ended early") }
            switch strip {
            case .planes(let planes): cache.append(planes, at: cache.upperBound)
            case .samples(let samples):
                cache.append(.samples(SampleRows(bytes: samples.bytes, rows: samples.rows, width: shape.w, channels: shape.c)),
                             at: cache.upperBound)
            }
        }
        return cache.window(rows)
    }

    /// The next strip of the file's samples, or nil after the last row: for a source that ``makesSamples``, instead of
    /// ``rows(_:keepingFrom:)``.
    func nextSamples() throws -> ConvertedRows? {
        precondition(makesSamples, "\(name): the strips are not the file's samples")
        start()
        guard samplesPassed < shape.h else { return nil }
        guard case .strip(.samples(let samples)) = try receive() else { throw PipelineError.interrupted(path: name, reason: "the decoder ended early") }
        samplesPassed += samples.rows
        return samples
    }

    /// Reads what is left of the file (rows no output needs included) and checks its end: the decoder's proof
    /// (``/ImageCodecs/DecoderEnd``) without which nothing is committed. Called once, after the last request.
    func finish() throws -> DecoderEnd {
        start()
        while true {
            switch try receive() {
            case .strip: continue  // rows no output reads (pooling may drop the last few), decoded all the same
            case .end(let end): return end
            case .failed, .stopped: preconditionFailure("receive() throws these")
            }
        }
    }

    /// Stops reading after a failure elsewhere and waits until the decoder has let go of the file.
    func cancel() {
        guard reader == nil else { reader = nil; decoderDone = true; return }  // never started
        stop.set()
        while !decoderDone { _ = try? receive() }
        thread.wait()
    }

    /// The decoder's next message; throws its failure.
    private func receive() throws -> Message {
        precondition(!decoderDone, "\(name): read past the decoder's last message")
        let message = channel.receive()
        switch message {
        case .strip: return message
        case .end: decoderDone = true; return message
        case .failed(let error): decoderDone = true; throw error
        case .stopped: decoderDone = true; throw PipelineError.interrupted(path: name, reason: "stopped before the end of the file")
        }
    }

    /// Every row of `strip`'s interleaved pixels of `channels` bytes read backwards (EXIF orientation 2 applied to the
    /// strip).
    private static func mirrored(_ strip: ConvertedRows, channels: Int) -> ConvertedRows {
        let width = strip.rows > 0 ? strip.bytes.count / (strip.rows * channels) : 0
        let map = OrientationMap(orientation: 2, storedWidth: width, storedHeight: strip.rows)
        let bytes = strip.bytes.withUnsafeBufferPointer { s in
            [UInt8](unsafeUninitializedCapacity: s.count) { d, initialized in
                initialized = s.count
                guard s.count > 0 else { return }
                map.turnSamples(rows: 0..<strip.rows, channels: channels, into: d.baseAddress!,
                                storedRow: { s.baseAddress! + $0 * width * channels })
            }
        }
        return ConvertedRows(samples: bytes, rows: strip.rows)
    }

    /// Every row of `strip` read backwards (EXIF orientation 2 applied to the strip).
    private static func mirrored(_ strip: Tensor) -> Tensor {
        let map = OrientationMap(orientation: 2, storedWidth: strip.w, storedHeight: strip.h)
        return strip.withUnsafeBufferPointer { s in
            Tensor(shape: strip.shape) { d in
                guard strip.shape.count > 0 else { return }
                let planes = s.baseAddress!, width = strip.w
                map.turn(rows: 0..<strip.h, channels: strip.shape.planeCount, into: d.baseAddress!, planeSize: strip.shape.planeSize,
                         storedRow: { planes + $0 * width }, channelStride: strip.shape.planeSize, pixelStride: 1, value: { $0 })
            }
        }
    }

    func describe(into plan: inout RowPlanDescription) {
        let stored = storedShape
        switch rowsMade {
        case .stored:
            plan.stages.append("decode \(stored.w)×\(stored.h)×\(stored.c)")
        case .mirrored:
            plan.stages.append("decode \(stored.w)×\(stored.h)×\(stored.c), mirrored (EXIF orientation 2)")
        case .turned:
            plan.stages.append("decode \(stored.w)×\(stored.h)×\(stored.c), turned by its EXIF orientation to \(shape.w)×\(shape.h)")
            plan.barriers.append("the EXIF orientation holds the decoded picture (\(sampleRowBytes != nil ? "8-bit samples" : "Float planes"), \(RowPlanDescription.bytes(heldBytes)))")
            plan.noteBuffer(heldBytes / 4)
        }
        plan.noteBuffer(2 * shape.planeCount * shape.w * chunkRows)
    }

    deinit { if !decoderDone { cancel() } }
}

/// A strip as the decoder thread hands it over: Float planes, or the file's 8-bit samples (interleaved displayed
/// rows), kept as they are (``/TensorEngine/SampleRows``).
enum DecodedStrip: Sendable {
    case planes(Tensor)
    case samples(ConvertedRows)
}

/// A reader or writer used by exactly one thread at a time (handed over once, through the queue that starts it).
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Set once, when a thread must stop early; read by the thread at its next strip.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
