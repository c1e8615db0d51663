import Testing
@testable import TensorEngine

@Suite struct TensorTests {
    @Test func offsetsAreNCHW() {
        let s = TensorShape(n: 2, c: 3, h: 4, w: 5)
        #expect(s.count == 120)
        #expect(s.offset(1, 2, 3, 4) == 119)
        #expect(s.offset(0, 1, 0, 0) == 20)
    }

    @Test func channelsAndConcatenationRoundTrip() {
        let shape = TensorShape(n: 2, c: 3, h: 2, w: 2)
        let t = Tensor(shape: shape, storage: (0..<shape.count).map(Float.init))
        let a = t.channels(0..<1), b = t.channels(1..<3)
        #expect(a.shape == TensorShape(n: 2, c: 1, h: 2, w: 2))
        #expect(a[1, 0, 0, 0] == 12)
        #expect(Tensor.concatenatingChannels([a, b]) == t)
    }
}
