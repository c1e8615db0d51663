import Dispatch
import ImageCodecs
import Synchronization
import TensorEngine

/// The first stage of a file job: rows of the input file, and at the end the decoder's proof that it read the
/// file to its end (``ImageCodecs/DecoderEnd``), without which nothing is committed.
protocol FileSource: RowStage {
    /// Reads what is left of the file (rows no output needs included) and checks its end. Called once, after
    /// the last request, on success only.
    func finish() throws -> DecoderEnd
    /// Stops reading after a failure elsewhere and waits until the decoder has let go of the file.
    func cancel()
}

/// A file decoded on its own thread while the stages work: the decoder reads ahead in strips of `chunkRows`
/// rows (two strips at most, through a ``BoundedChannel``), and requests take rows from those strips.
/// Rows are in storage order; the EXIF orientation is ``OrientedSource``'s.
///
/// With `passingSamples`, the strips are the file's 8-bit samples for a writer that takes them as they are
/// (a plain conversion, see ``FileJob``), read with ``nextSamples()``, and no Float row is made.
final class DecoderSource: FileSource {
    let shape: TensorShape
    let name: String
    private var cache: RowCache
    private let channel = BoundedChannel<Message>(capacity: 2)
    private let stop = StopFlag()
    private let thread = DispatchGroup()
    /// The decoder's last message (end, failure or stop) has been received.
    private var decoderDone = false
    /// The reader until ``start(passingSamples:)`` hands it to the decoder thread.
    private var reader: ImageReader?
    private let chunkRows: Int
    private var samplesPassed = 0
    /// The reader's ``ImageCodecs/ImageReader/sampleRowBytes``.
    let sampleRowBytes: Int?

    private enum Message: Sendable {
        case rows(Tensor)
        case samples(ConvertedRows)
        case end(DecoderEnd)
        case failed(any Error)
        case stopped
    }

    init(_ reader: ImageReader, chunkRows: Int) {
        shape = reader.shape
        name = reader.path
        cache = RowCache(shape: reader.shape)
        sampleRowBytes = reader.sampleRowBytes
        self.reader = reader
        self.chunkRows = max(1, chunkRows)
    }

    /// Starts the decoder thread (the first request does, with Float rows).
    func start(passingSamples: Bool) {
        guard let reader else { return }
        self.reader = nil
        let box = UncheckedBox(reader), channel = channel, stop = stop, height = reader.shape.h, chunk = chunkRows
        DispatchQueue(label: "imgconv.decode").async(group: thread) {
            let reader = box.value
            do {
                while reader.rowsRead < height, !stop.isSet {
                    if passingSamples {
                        channel.send(.samples(try reader.readSamples(rows: chunk)))
                    } else {
                        channel.send(.rows(try reader.read(rows: chunk)))
                    }
                }
                channel.send(stop.isSet ? .stopped : .end(try reader.finish()))
            } catch {
                channel.send(.failed(error))
            }
        }
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        start(passingSamples: false)
        cache.drop(below: keep)
        while cache.upperBound < rows.upperBound {
            guard case .rows(let strip) = try receive() else { throw PipelineError("\(name): the decoder ended early") }
            cache.append(strip, at: cache.upperBound)
        }
        return cache.window(rows)
    }

    /// The next strip of samples (``passingSamples``), or nil after the last row.
    func nextSamples() throws -> ConvertedRows? {
        guard samplesPassed < shape.h else { return nil }
        guard case .samples(let samples) = try receive() else { throw PipelineError("\(name): the decoder ended early") }
        samplesPassed += samples.rows
        return samples
    }

    func finish() throws -> DecoderEnd {
        start(passingSamples: false)
        while true {
            switch try receive() {
            case .rows, .samples: continue  // rows no output reads (pooling may drop the last few), decoded all the same
            case .end(let end): return end
            case .failed, .stopped: preconditionFailure("receive() throws these")
            }
        }
    }

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
        case .rows, .samples: return message
        case .end: decoderDone = true; return message
        case .failed(let error): decoderDone = true; throw error
        case .stopped: decoderDone = true; throw PipelineError("\(name): stopped before the end of the file")
        }
    }

    func describe(into plan: inout RowPlanDescription) {
        plan.stages.append("decode \(shape.w)×\(shape.h)×\(shape.c)")
        plan.noteBuffer(2 * cache.shape.planeCount * cache.shape.w * plan.stripRows)
    }

    deinit { if !decoderDone { cancel() } }
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
