import Testing
import TensorEngine
import TensorTestSupport


func randomTensor(_ shape: TensorShape, _ rng: inout SplitMix64) -> Tensor {
    Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float.random(in: -1...1, using: &rng) })
}

/// The fast conv2d against the direct formula of conv2dReference, on shapes chosen to hit every branch:
/// widths that are not multiples of 8 or 16, 1-pixel planes, k = 1, strides, dilation, groups, every padding mode.
@Suite struct FastPathTests {
    static let modes: [PaddingMode] = [.zeros, .reflect, .replicate, .circular, .symmetric, .constant(0.75)]

    @Test(arguments: modes)
    func widthsOneToNineteen(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 7)
        for width in 1...19 {
            for (kernel, padding) in [(Pair(1), Pair(0)), (Pair(3), Pair(1)), (Pair(h: 2, w: 3), Pair(h: 1, w: 0))] {
                let paddingAllowed = mode == .reflect ? padding.w < width : padding.w <= width
                guard paddingAllowed, width + 2 * padding.w >= kernel.w else { continue }
                let input = randomTensor(TensorShape(n: 1, c: 2, h: 3, w: width), &rng)
                let weight = randomTensor(TensorShape(n: 3, c: 2, h: kernel.h, w: kernel.w), &rng)
                let bias = (0..<3).map { _ in Float.random(in: -1...1, using: &rng) }
                let p = Conv2dParameters(padding: .explicit(padding), paddingMode: mode)
                expectClose(try conv2d(input, weight: weight, bias: bias, parameters: p),
                            try conv2dReference(input, weight: weight, bias: bias, parameters: p),
                            "width \(width) kernel \(kernel) \(mode)", tolerance: 1e-5)
            }
        }
    }

    @Test(arguments: modes)
    func stridesDilationGroupsAndFlip(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 11)
        let configurations: [(channels: (Int, Int), groups: Int, kernel: Pair, stride: Pair, dilation: Pair, padding: PaddingSpec)] = [
            ((4, 4), 4, Pair(3), Pair(1), Pair(1), .same),
            ((4, 8), 4, Pair(h: 3, w: 5), Pair(h: 1, w: 2), Pair(h: 2, w: 1), .explicit(Pair(h: 2, w: 2))),
            ((6, 4), 2, Pair(2), Pair(2), Pair(3), .explicit(Pair(1))),
            ((3, 2), 1, Pair(1), Pair(h: 3, w: 2), Pair(1), .valid),
            ((2, 2), 2, Pair(4), Pair(1), Pair(2), .same),
            ((8, 4), 4, Pair(h: 5, w: 1), Pair(h: 2, w: 3), Pair(1), .explicit(Pair(h: 2, w: 0))),
        ]
        for (height, width) in [(5, 7), (9, 17), (11, 33), (4, 16)] {
            for c in configurations {
                for flip in [false, true] {
                    let input = randomTensor(TensorShape(n: 2, c: c.channels.0, h: height, w: width), &rng)
                    let weight = randomTensor(TensorShape(n: c.channels.1, c: c.channels.0 / c.groups, h: c.kernel.h, w: c.kernel.w), &rng)
                    let p = Conv2dParameters(stride: c.stride, padding: c.padding, dilation: c.dilation,
                                             groups: c.groups, paddingMode: mode, flip: flip)
                    let reference: Tensor
                    do {
                        reference = try conv2dReference(input, weight: weight, bias: nil, parameters: p)
                    } catch {
                        // Both paths share validation: the fast one must refuse too.
                        #expect(throws: EngineError.self) { try conv2d(input, weight: weight, bias: nil, parameters: p) }
                        continue
                    }
                    expectClose(try conv2d(input, weight: weight, bias: nil, parameters: p), reference,
                                "\(height)×\(width) \(c) flip \(flip) \(mode)", tolerance: 1e-5)
                }
            }
        }
    }

    /// Large enough that rows are split into bands over several threads.
    @Test func bandsAcrossThreadsCoverEveryRow() throws {
        var rng = SplitMix64(state: 3)
        let input = randomTensor(TensorShape(n: 1, c: 3, h: 157, w: 203), &rng)
        let weight = randomTensor(TensorShape(n: 3, c: 1, h: 5, w: 5), &rng)
        let p = Conv2dParameters(padding: .same, groups: 3, paddingMode: .reflect)
        expectClose(try conv2d(input, weight: weight, bias: [0.5, -0.5, 0], parameters: p),
                    try conv2dReference(input, weight: weight, bias: [0.5, -0.5, 0], parameters: p), "bands", tolerance: 1e-5)
    }

    /// Pooling with a reading padding mode equals pooling the explicitly padded tensor without padding.
    @Test(arguments: modes)
    func poolingReadsPaddingThroughTheSharedRule(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 5)
        let input = randomTensor(TensorShape(n: 1, c: 2, h: 7, w: 9), &rng)
        let padded = try pad(input, padding: Padding(Pair(1)), mode: mode)
        let maxPadded = try maxPool2d(input, parameters: MaxPool2dParameters(kernel: Pair(3), stride: Pair(2), padding: Pair(1), paddingMode: mode))
        let maxExplicit = try maxPool2d(padded, parameters: MaxPool2dParameters(kernel: Pair(3), stride: Pair(2)))
        expectClose(maxPadded.output, maxExplicit.output, "max \(mode)", tolerance: 0)
        let avgPadded = try avgPool2d(input, parameters: AvgPool2dParameters(kernel: Pair(3), stride: Pair(2), padding: Pair(1), paddingMode: mode))
        let avgExplicit = try avgPool2d(padded, parameters: AvgPool2dParameters(kernel: Pair(3), stride: Pair(2)))
        expectClose(avgPadded, avgExplicit, "avg \(mode)", tolerance: 1e-6)
    }
}
