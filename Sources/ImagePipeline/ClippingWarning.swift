import ImageCodecs
import ImageFilters
import TensorEngine

/// The warning for values an image file cannot hold: a step without a value policy (`conv`, pooling, `pad`)
/// can give values outside [0, 1], which PNG and JPEG clamp. Named filters choose a policy (`--clamp`, `--abs`,
/// …) and report under `--verbose`; these steps did not choose, so the count is a warning on every run.
extension FileJob {
    /// Whether the encoder will clamp values no step asked to clamp: the output is an image and the last step
    /// has no value policy. A plain conversion (no step) reads images in [0, 1] already and is not counted.
    func clampsUnasked(output: ImageDestination) -> Bool {
        guard let step = pipeline.steps.last, (step.options.valuePolicy ?? step.filter.defaultValuePolicy) == nil else { return false }
        return !((try? output.format())?.holdsRawValues ?? true)
    }

    /// How many of `tensor`'s values lie outside [0, 1] (NaN included).
    static func outsideUnitRange(_ tensor: Tensor) -> Int {
        tensor.withUnsafeBufferPointer { values in values.reduce(0) { $0 + ($1 >= 0 && $1 <= 1 ? 0 : 1) } }
    }

    /// `OUT: warning: 12 of 9,000 values lay outside [0, 1] and were clipped; …`, nil when none were.
    static func clippingWarning(output: String, clipped: Int, of count: Int) -> String? {
        guard clipped > 0 else { return nil }
        return "\(output): warning: \(clipped) of \(count) values lay outside [0, 1] and were clipped; write .npy, .txt or .csv to keep them"
    }
}

