import Testing
import TensorEngine
import TensorTestSupport

/// The engine's inner loops (CKernels) run at every vector width the CPU has, and every width gives the same bits:
/// each output is computed with the same operations in the same order, without fused multiply-adds.
@Suite(.serialized) struct VectorLevelTests {
    static func random(_ shape: TensorShape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(Int64(generator.next() % 20_001) - 10_000) / 3_333 })
    }

    /// Every path of the row kernels: widths below 8, 8…15 and above 16 (the overlapped last block), dense blocks of
    /// four output channels and single ones, mirrored (Gaussian) factors, tall column passes.
    static func results() throws -> [Tensor] {
        var out: [Tensor] = []
        for (h, w) in [(9, 5), (11, 13), (37, 61), (64, 1030)] {
            let x = random(TensorShape(n: 1, c: 6, h: h, w: w), seed: UInt64(h * w))
            let dense = random(TensorShape(n: 6, c: 3, h: 3, w: 3), seed: 7)
            out.append(try conv2d(x, weight: dense, bias: (0..<6).map { Float($0) / 7 },
                                  parameters: Conv2dParameters(stride: Pair(1), padding: .sides(Padding(Pair(1))), dilation: Pair(1), groups: 2)))
            let depthwise = random(TensorShape(n: 6, c: 1, h: 5, w: 5), seed: 8)
            out.append(try conv2d(x, weight: depthwise, bias: nil,
                                  parameters: Conv2dParameters(stride: Pair(h: 1, w: 2), padding: .sides(Padding(Pair(2))), dilation: Pair(1), groups: 6)))
            let gaussian: [Float] = [0.05, 0.25, 0.4, 0.25, 0.05]
            out.append(try separableConv2d(x, column: gaussian, row: gaussian, bias: nil,
                                           parameters: Conv2dParameters(padding: .sides(Padding(Pair(2))), groups: 6, paddingMode: .reflect)))
            let tall = (0..<13).map { Float($0 % 5) - 1.7 }
            out.append(try separableConv2d(x, column: tall, row: [1, -2, 3], bias: nil,
                                           parameters: Conv2dParameters(padding: .sides(Padding(top: 6, bottom: 6, left: 1, right: 1)), groups: 6, paddingMode: .replicate)))
        }
        return out
    }

    @Test func everyLevelGivesTheSameBits() throws {
        let levels = VectorLevel.supported
        #expect(!levels.isEmpty && levels.contains(VectorLevel.current))
        let reference = try VectorLevel.with(levels[0]) { try Self.results() }
        for level in levels.dropFirst() {
            let results = try VectorLevel.with(level) { try Self.results() }
            for (a, b) in zip(reference, results) {
                #expect(a.storage.map(\.bitPattern) == b.storage.map(\.bitPattern), "\(level) against \(levels[0]): \(a.shape)")
            }
        }
    }
}
