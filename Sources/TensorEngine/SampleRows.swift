import CKernels

/// Rows of interleaved 8-bit samples that stand for the (1, C, rows, W) Float planes v/255, as the decoders make
/// them (`ck_spread8`: the correctly rounded v/255). A ``RowWindow`` may hold such rows as they came from a file, so
/// that the operation reading them makes its Floats where it reads them (``ConvolutionBands``), in the cache of the
/// core that computes, instead of a Float copy of the whole strip made first.
package struct SampleRows: Sendable {
    /// `rows` × `width` × `channels` bytes: pixel x of row y, channel c at `(y·width + x)·channels + c`.
    package let bytes: [UInt8]
    package let rows: Int
    package let width: Int
    package let channels: Int

    /// Traps unless `bytes` holds exactly `rows` × `width` × `channels` samples.
    package init(bytes: [UInt8], rows: Int, width: Int, channels: Int) {
        precondition(rows >= 0 && width >= 0 && channels > 0 && bytes.count == rows * width * channels,
                     "\(bytes.count) bytes are not \(rows) rows of \(width)×\(channels) samples")
        self.bytes = bytes
        self.rows = rows
        self.width = width
        self.channels = channels
    }

    /// The (1, C, rows, W) shape the samples stand for.
    package var shape: TensorShape { TensorShape(n: 1, c: channels, h: rows, w: width) }

    /// Rows `rows` as Float planes v/255, channel c at `planes + c·planeSize` (row r − rows.lowerBound of it).
    package func spread(rows: Range<Int>, into planes: UnsafeMutablePointer<Float>, planeSize: Int) {
        guard !rows.isEmpty, width > 0 else { return }
        bytes.withUnsafeBufferPointer { b in
            ck_spread8(b.baseAddress! + rows.lowerBound * width * channels, width * channels, rows.count, width, channels,
                       planes, planeSize)
        }
    }

    /// The Float planes the samples stand for.
    package var planes: Tensor {
        Tensor(shape: shape) { p in
            guard shape.count > 0 else { return }
            spread(rows: 0..<rows, into: p.baseAddress!, planeSize: shape.planeSize)
        }
    }
}

/// `Float(v) / 255` for every byte value: what ``SampleRows`` stand for, one sample at a time.
package let unit8Values: [Float] = (0..<256).map { Float($0) / 255 }
