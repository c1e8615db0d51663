import TensorEngine

/// The Floats the decoders make of samples, for code that holds samples and converts them later.
package enum SampleScale {
    /// v/255 for every 8-bit sample v: exactly what a decoded 8-bit image holds.
    package static var unit8: [Float] { PixelConversion.unit8 }

    /// Interleaved 8-bit rows (`width` × `channels` bytes each, one after the other) as Float planes v/255
    /// (channel c at `planes + c·planeSize`), as the decoders spread them (the same vector loop).
    package static func spread(_ samples: UnsafePointer<UInt8>, rows: Int, width: Int, channels: Int,
                               into planes: UnsafeMutablePointer<Float>, planeSize: Int) {
        PixelConversion.deinterleave(samples, stride: width * channels, rows: rows, width: width, channels: channels,
                                     into: planes, planeSize: planeSize, firstRow: 0)
    }

    /// Rows of interleaved 8-bit samples (`width` × `channels` bytes a row) as a (1, `channels`, rows, `width`)
    /// tensor of v/255: what ``ImageReader/read(rows:)`` makes of the same rows.
    package static func planes(_ samples: ConvertedRows, width: Int, channels: Int) -> Tensor {
        let shape = TensorShape(n: 1, c: channels, h: samples.rows, w: width)
        precondition(samples.bytes.count == shape.count, "the samples are not rows × width × channels bytes")
        return samples.bytes.withUnsafeBufferPointer { bytes in
            Tensor(shape: shape) { planes in
                guard shape.count > 0 else { return }
                spread(bytes.baseAddress!, rows: shape.h, width: width, channels: channels, into: planes.baseAddress!,
                       planeSize: shape.planeSize)
            }
        }
    }
}
