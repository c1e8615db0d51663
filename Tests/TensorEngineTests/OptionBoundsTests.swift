import Testing
@testable import TensorEngine

/// Sizes typed on a command line: how pairs are read (issue 12.13) and why an option's magnitude never
/// sets the work or memory of a convolution (issue 12.7).
@Suite struct OptionBoundsTests {
    @Test func pairsWithASpaceAreTwoNumbersNeverOneGluedNumber_item13() {
        #expect(Pair(parsing: "32 64") == Pair(h: 32, w: 64))
        #expect(Pair(parsing: "  32   64 ") == Pair(h: 32, w: 64))
        #expect(Pair(parsing: "32, 64") == Pair(h: 32, w: 64))
        #expect(Pair(parsing: " 1 2 ") == Pair(h: 1, w: 2))
        #expect(Padding(parsing: "1 0") == Padding(Pair(h: 1, w: 0)))
        #expect(Padding(parsing: "1 2 3 4") == Padding(top: 1, bottom: 2, left: 3, right: 4))
        #expect(PaddingSpec(parsing: "1 0") == .explicit(Pair(h: 1, w: 0)))
        // Never glued, never guessed: a space inside a comma-separated number, WxH, a third number, no number.
        for bad in ["3 2,5", "1 2 3", "32x64", "", " ", "1,,2", "3 ,", "2147483648", "1 9999999999"] {
            #expect(Pair(parsing: bad) == nil, "\(bad)")
        }
        #expect(Pair(parsing: "2147483647") == Pair(Int(Int32.max)))
        #expect(PaddingMode(parsing: "constant=nan") == nil)
        #expect(PaddingMode(parsing: "constant=inf") == nil)
        #expect(PaddingMode(parsing: "constant=-infinity") == nil)
    }

    /// A scratch row holds fewer than 2·Wp samples whatever the stride: phases that no tap reads are not kept.
    @Test func hugeStridesNeedScratchThatFollowsTheInput_item7() {
        for (width, stride, kernel, dilation) in [(5, 1, 3, 1), (640, 2, 3, 1), (640, 3, 5, 2), (640, 10_000_000, 3, 1),
                                                   (2, Int(Int32.max), 1, 1), (7, 7, 7, 1), (7, 8, 7, 1), (7, 3, 4, 2)] {
            let bands = ConvolutionBands(height: 4, width: width, padding: .zero, mode: .zeros, kernel: Pair(h: 1, w: kernel),
                                         stride: Pair(h: 1, w: stride), dilation: Pair(h: 1, w: dilation),
                                         output: Pair(h: 4, w: outputSize(input: width, kernel: kernel, stride: stride, dilation: dilation)))
            #expect(bands.rowLength < 2 * width + 1, "width \(width), stride \(stride)")
            // Every tap of every output column reads a scratch position that holds the padded column it means.
            let out = outputSize(input: width, kernel: kernel, stride: stride, dilation: dilation)
            for kx in 0..<kernel {
                for j in 0..<out {
                    let position = bands.tapOffset(ky: 0, kx: kx) + j
                    #expect(position < bands.rowLength)
                    #expect(bands.columnSources[position] == j * stride + kx * dilation)
                }
            }
        }
    }

    /// The engine's result at huge strides equals the reference, and comes back at once.
    @Test func hugeStrideConvolutionMatchesTheReference_item7() throws {
        let input = Tensor(shape: TensorShape(n: 1, c: 2, h: 5, w: 7), storage: (0..<70).map { Float($0 % 11) / 11 })
        let weight = Tensor(shape: TensorShape(n: 2, c: 1, h: 2, w: 3), storage: [1, 2, 3, 4, 5, 6, -1, 0, 1, 2, 0.5, 3])
        for stride in [Pair(h: 1, w: 10_000_000), Pair(Int(Int32.max)), Pair(h: Int(Int32.max), w: 2)] {
            let parameters = Conv2dParameters(stride: stride, padding: .explicit(Pair(1)), groups: 2, paddingMode: .reflect)
            let fast = try conv2d(input, weight: weight, bias: nil, parameters: parameters)
            let slow = try conv2dReference(input, weight: weight, bias: nil, parameters: parameters)
            #expect(fast.shape == slow.shape)
            #expect(zip(fast.storage, slow.storage).allSatisfy { abs($0 - $1) <= 1e-5 })
        }
    }
}
