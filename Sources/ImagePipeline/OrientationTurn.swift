import ImageCodecs

extension OrientationMap {
    /// Fills displayed rows `rows` (every displayed column) of `channels` planes, each `planeSize` values apart at
    /// `destination`, with row `rows.lowerBound` first: displayed pixel (y′, x′) of channel c is
    /// `value(storedRow(y) [c·channelStride + x·pixelStride])` for its stored pixel (y, x) =
    /// ``storedIndex(row:column:)`` split by the stored width (interleaved samples: channelStride 1, pixelStride C;
    /// planes: channelStride a plane, pixelStride 1).
    ///
    /// Orientations 5–8, where a displayed row runs down a stored column, go in tiles of 32 displayed columns
    /// (32 stored rows read side by side, 32 consecutive values written per displayed row), so that every cache
    /// line read or written is used whole; the others run along a stored row for each displayed row.
    @inline(__always)
    func turn<Sample, Value>(rows: Range<Int>, channels: Int, into destination: UnsafeMutablePointer<Value>, planeSize: Int,
                             storedRow: (Int) -> UnsafePointer<Sample>, channelStride: Int, pixelStride: Int,
                             value: (Sample) -> Value) {
        let storedWidth = orientation >= 5 ? height : width
        let count = rows.count
        guard abs(stepY) == 1 else {
            let step = stepX * pixelStride
            for dy in 0..<count {
                let first = storedIndex(row: rows.lowerBound + dy, column: 0)
                let source = storedRow(first / storedWidth) + first % storedWidth * pixelStride
                for c in 0..<channels {
                    let out = destination + c * planeSize + dy * width, s = source + c * channelStride
                    for x in 0..<width { out[x] = value(s[x * step]) }
                }
            }
            return
        }
        let tile = 32
        withUnsafeTemporaryAllocation(of: UnsafePointer<Sample>.self, capacity: tile) { sources in
            var x0 = 0
            while x0 < width {
                let n = min(tile, width - x0)
                for j in 0..<n {
                    let first = storedIndex(row: rows.lowerBound, column: x0 + j)
                    sources[j] = storedRow(first / storedWidth) + first % storedWidth * pixelStride
                }
                for c in 0..<channels {
                    for dy in 0..<count {
                        let out = destination + c * planeSize + dy * width + x0
                        let offset = c * channelStride + dy * stepY * pixelStride
                        for j in 0..<n { out[j] = value(sources[j][offset]) }
                    }
                }
                x0 += n
            }
        }
    }

    /// ``turn(rows:channels:into:planeSize:storedRow:channelStride:pixelStride:value:)`` for interleaved 8-bit
    /// pixels of `channels` bytes (1–4), each moved whole: displayed rows `rows` as interleaved rows at
    /// `destination` (``width`` × `channels` bytes each), stored row y at `storedRow(y)`.
    func turnSamples(rows: Range<Int>, channels: Int, into destination: UnsafeMutablePointer<UInt8>,
                     storedRow: (Int) -> UnsafePointer<UInt8>) {
        func turnPixels<Pixel>(_: Pixel.Type) {
            precondition(MemoryLayout<Pixel>.stride == channels)
            UnsafeMutableRawPointer(destination).withMemoryRebound(to: Pixel.self, capacity: rows.count * width) { pixels in
                turn(rows: rows, channels: 1, into: pixels, planeSize: 0, storedRow: { row in
                    UnsafeRawPointer(storedRow(row)).assumingMemoryBound(to: Pixel.self)
                }, channelStride: 0, pixelStride: 1, value: { $0 })
            }
        }
        switch channels {
        case 1: turnPixels(UInt8.self)
        case 2: turnPixels((UInt8, UInt8).self)
        case 3: turnPixels((UInt8, UInt8, UInt8).self)
        default: turnPixels((UInt8, UInt8, UInt8, UInt8).self)
        }
    }
}
