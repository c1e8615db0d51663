/// The Floats the decoders make of samples, for code that holds samples and converts them later.
package enum SampleScale {
    /// v/255 for every 8-bit sample v: exactly what a decoded 8-bit image holds.
    package static var unit8: [Float] { PixelConversion.unit8 }
}
