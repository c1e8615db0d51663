import CKernels
import Testing
import TensorEngine
import TensorTestSupport

/// An output too large to stay in the caches is written with streaming stores (`ck_streaming_bytes`: three quarters
/// of the last-level cache's share per core); a small output is not. Both must give the same bits: the
/// whole-image depthwise and separable convolutions of a plane a little larger than that threshold are compared,
/// row range by row range, with the same rows computed as small outputs from windows of the input.
@Suite(.serialized) struct StreamingStoreTests {
    @Test func streamedOutputsEqualTheRowsComputedInStrips() throws {
        let threshold = Int(ck_streaming_bytes())
        let width = 4099  // rows that start at every alignment of a cache line
        let height = threshold / (4 * width) + 8
        guard height * width <= 64 << 20 else {
            print("StreamingStoreTests: skipped, this machine's streaming threshold is \(threshold) bytes (a test image would need over 256 MB)")
            return
        }
        var generator = SplitMix64(seed: 31)
        let shape = TensorShape(n: 1, c: 1, h: height, w: width)
        let x = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(generator.below(1000)) / 999 })
        #expect(shape.count * 4 >= threshold, "the output must reach the streaming threshold")

        let weight = Tensor(shape: TensorShape(n: 1, c: 1, h: 3, w: 3), storage: [0.1, 0.2, -0.3, 0.4, 0.5, 0.6, -0.7, 0.8, 0.9])
        let parameters = Conv2dParameters(padding: .same, paddingMode: .reflect)
        let gaussian: [Float] = [0.05, 0.25, 0.4, 0.25, 0.05]
        let separableParameters = Conv2dParameters(padding: .sides(Padding(Pair(2))), paddingMode: .replicate)
        let whole = try conv2d(x, weight: weight, bias: [0.25], parameters: parameters)
        let wholeSeparable = try separableConv2d(x, column: gaussian, row: gaussian, bias: nil, parameters: separableParameters)

        let window = RowWindow(whole: x)
        for rows in [0..<3, height / 2 ..< height / 2 + 5, height - 4 ..< height] {
            let strip = try conv2d(window, weight: weight, bias: [0.25], parameters: parameters, rows: rows)
            let separableStrip = try separableConv2d(window, column: gaussian, row: gaussian, bias: nil,
                                                     parameters: separableParameters, rows: rows)
            #expect(Self.sameRows(whole, rows, strip), "conv2d rows \(rows)")
            #expect(Self.sameRows(wholeSeparable, rows, separableStrip), "separable rows \(rows)")
        }
    }

    /// Whether rows `rows` of `whole` hold the same bits as `strip` (a Bool, so a failure prints no long arrays).
    static func sameRows(_ whole: Tensor, _ rows: Range<Int>, _ strip: Tensor) -> Bool {
        let w = whole.shape.w
        let (a, b) = (whole.storage, strip.storage)
        return strip.shape.h == rows.count && (0..<rows.count * w).allSatisfy { a[rows.lowerBound * w + $0].bitPattern == b[$0].bitPattern }
    }
}
