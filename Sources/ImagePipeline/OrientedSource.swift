import ImageCodecs
import TensorEngine

/// A file whose EXIF orientation turns or flips it vertically, as the first stage: a barrier. Its first displayed
/// row needs the last stored row (or a stored column), so the whole picture is read first and held as the
/// file's 8-bit samples when it has plain ones (gray or RGB JPEG, 8-bit PNG: a quarter of the Float planes),
/// else as Float planes; rows are then turned on demand in strips (``OrientationMap``), reading the held
/// samples in the order that keeps them in cache.
///
/// What is held is refused beyond `maxPixels` pixels (the limit of everything read whole).
final class OrientedSource: FileSource {
    let shape: TensorShape
    let map: OrientationMap
    private let stored: TensorShape
    private let samples: [UInt8]?
    private let planes: Tensor?
    private let end: DecoderEnd

    init(_ reader: ImageReader, maxPixels: Int) throws {
        stored = reader.shape
        map = OrientationMap(orientation: reader.orientation, storedWidth: stored.w, storedHeight: stored.h)
        shape = TensorShape(n: 1, c: stored.c, h: map.height, w: map.width)
        let pixels = stored.w.multipliedReportingOverflow(by: stored.h)
        guard !pixels.overflow, pixels.partialValue <= maxPixels else {
            throw ImageCodecError(path: reader.path, reason: "EXIF orientation \(reader.orientation) turns the picture, so it is held whole, and \(stored.w)×\(stored.h) is more than the \(maxPixels)-pixel limit of pictures held whole (--max-pixels, or --no-auto-orient to stream it as stored)")
        }
        if reader.sampleRowBytes != nil {
            var held: [UInt8] = []
            while reader.rowsRead < stored.h {
                held.append(contentsOf: try reader.readSamples(rows: 64).bytes)
            }
            samples = held
            planes = nil
        } else {
            var parts: [Tensor] = []
            while reader.rowsRead < stored.h { parts.append(try reader.read(rows: 64)) }
            planes = Tensor.concatenatingRows(parts)
            samples = nil
        }
        end = try reader.finish()
    }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        let out = TensorShape(n: 1, c: shape.c, h: rows.count, w: shape.w)
        let channels = shape.c, width = shape.w, plane = stored.h * stored.w, map = map
        // Walk the stored plane along its rows: displayed rows inside when a displayed row is a stored column.
        let columnsOuter = abs(map.stepX) != 1
        let tensor = Tensor(shape: out) { destination in
            guard out.count > 0 else { return }
            let dst = destination.baseAddress!
            func turn(_ value: (_ storedIndex: Int, _ channel: Int) -> Float) {
                if columnsOuter {
                    for x in 0..<width {
                        for y in rows {
                            let index = map.storedIndex(row: y, column: x), at = (y - rows.lowerBound) * width + x
                            for c in 0..<channels { dst[c * out.planeSize + at] = value(index, c) }
                        }
                    }
                } else {
                    for y in rows {
                        for x in 0..<width {
                            let index = map.storedIndex(row: y, column: x), at = (y - rows.lowerBound) * width + x
                            for c in 0..<channels { dst[c * out.planeSize + at] = value(index, c) }
                        }
                    }
                }
            }
            if let samples {
                samples.withUnsafeBufferPointer { s in
                    SampleScale.unit8.withUnsafeBufferPointer { scale in
                        turn { index, c in scale[Int(s[index * channels + c])] }
                    }
                }
            } else if let planes {
                planes.withUnsafeBufferPointer { p in turn { index, c in p[c * plane + index] } }
            }
        }
        return RowWindow(tensor, top: rows.lowerBound, height: shape.h)
    }

    func finish() throws -> DecoderEnd { end }
    func cancel() {}

    func describe(into plan: inout RowPlanDescription) {
        let held = samples?.count ?? (planes?.shape.count ?? 0) * 4
        plan.stages.append("decode \(stored.w)×\(stored.h)×\(stored.c), turned by EXIF orientation \(map.orientation) to \(shape.w)×\(shape.h)")
        plan.barriers.append("EXIF orientation \(map.orientation) holds the decoded picture (\(samples != nil ? "8-bit samples" : "Float planes"), \(RowPlanDescription.bytes(held)))")
        plan.noteBuffer(held / 4)
    }
}

/// A file whose EXIF orientation is 2 (mirrored left-right) as the first stage: no barrier, since each displayed
/// row is a stored row read backwards; the rows stream from the ``DecoderSource`` and are mirrored as they pass.
final class MirroredSource: FileSource {
    let decoder: DecoderSource
    var shape: TensorShape { decoder.shape }

    init(_ decoder: DecoderSource) { self.decoder = decoder }

    func rows(_ rows: Range<Int>, keepingFrom keep: Int) throws -> RowWindow {
        let stored = try decoder.rows(rows, keepingFrom: keep)
        let source = stored.tensor, width = source.w
        let mirrored = source.withUnsafeBufferPointer { s in
            Tensor(shape: source.shape) { d in
                for row in 0 ..< source.shape.planeCount * source.h {
                    let from = s.baseAddress! + row * width, to = d.baseAddress! + row * width
                    for x in 0..<width { to[x] = from[width - 1 - x] }
                }
            }
        }
        return stored.replacing(mirrored)
    }

    func finish() throws -> DecoderEnd { try decoder.finish() }
    func cancel() { decoder.cancel() }

    func describe(into plan: inout RowPlanDescription) {
        decoder.describe(into: &plan)
        plan.stages.append("mirror (EXIF orientation 2)")
    }
}
