import Testing
import TensorEngine

/// The engine's allocation limit and the parsers' number bound: hostile sizes become errors, not traps.
@Suite struct SizeLimitTests {
    @Test func tensorsUpToTheLimitAreAllowed() throws {
        try TensorShape.validateCount(n: 1, c: 4, h: 16_000, w: 16_000)  // the largest default image, RGBA
        try TensorShape.validateCount(n: 0, c: 1 << 40, h: 1 << 40, w: 1 << 40)  // empty: nothing to allocate
        #expect(TensorShape.maxCount == 1 << 30)
    }

    @Test func largerOrOverflowingTensorsAreRefused() {
        #expect(throws: EngineError.self) { try TensorShape.validateCount(n: 1, c: 1, h: TensorShape.maxCount + 1, w: 1) }
        #expect(throws: EngineError.self) { try TensorShape.validateCount(n: 1, c: 2, h: 1 << 40, w: 1 << 40) }
    }

    @Test func engineFunctionsRefuseHugeResultsBeforeAllocating() throws {
        let x = Tensor(shape: TensorShape(n: 1, c: 2, h: 8, w: 8), repeating: 1)
        #expect(throws: EngineError.self) { try pad(x, padding: Padding(Pair(100_000)), mode: .zeros) }
        #expect(throws: EngineError.self) { try adaptiveAvgPool2d(x, outputSize: Pair(100_000)) }
        let w = Tensor(shape: TensorShape(n: 1, c: 2, h: 1, w: 1), repeating: 1)
        // Output 3×3, but the padded copy of the input would be 200008² per channel.
        let p = Conv2dParameters(stride: Pair(100_000), padding: .explicit(Pair(100_000)))
        #expect(throws: EngineError.self) { try conv2d(x, weight: w, bias: nil, parameters: p) }
        // The geometry alone stays plain arithmetic (the `shape` command).
        let g = try Conv2dGeometry(input: TensorShape(n: 1, c: 1, h: 100_000, w: 100_000), weight: TensorShape(n: 1, c: 1, h: 3, w: 3),
                                   biasCount: nil, parameters: Conv2dParameters())
        #expect(g.output.h == 99_998)
    }

    @Test func parsersRefuseNumbersBeyondInt32() {
        #expect(Pair(parsing: "2147483647") == Pair(2_147_483_647))
        #expect(Pair(parsing: "-2147483647,3") == Pair(h: -2_147_483_647, w: 3))
        #expect(Pair(parsing: "2147483648") == nil)
        #expect(Pair(parsing: "9223372036854775807") == nil)
        #expect(Padding(parsing: "1,2,3,9223372036854775807") == nil)
        #expect(Padding(parsing: "1,2,3,4") == Padding(top: 1, bottom: 2, left: 3, right: 4))
    }
}
