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
}
