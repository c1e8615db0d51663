import Testing
import TensorEngine
@testable import ImageFilters

@Suite struct ValuePolicyVectorTests {
    /// The eight-lane loop and the scalar tail must agree value for value and count for count.
    @Test(arguments: [ValuePolicy.clamp, .abs, .offset(0.5), .offset(-0.25)])
    func vectorAndScalarAgree(_ policy: ValuePolicy) {
        let tricky: [Float] = [0, -0.0, 1, 1.0000001, -1e-30, 0.5, -0.5, 2, -2, .nan, .infinity, -.infinity, 0.99999994, 0.25, -0.75]
        var values: [Float] = []
        for i in 0..<61 { values.append(tricky[i % tricky.count] * (i % 2 == 0 ? 1 : -1)) }
        var tensor = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: values.count), storage: values)
        let clipped = policy.apply(to: &tensor)
        var expectedClipped = 0
        let shift: Float = if case .offset(let v) = policy { v } else { 0 }
        for (i, x) in values.enumerated() {
            var v = x + shift
            if policy == .abs { v = Swift.abs(v) }
            if !(v >= 0) { expectedClipped += 1; v = 0 } else if v > 1 { expectedClipped += 1; v = 1 }
            #expect(tensor[0, 0, 0, i].bitPattern == v.bitPattern, "\(x)")
        }
        #expect(clipped == expectedClipped)
    }

    @Test func rowsLimitThePolicy() {
        var tensor = Tensor(shape: TensorShape(n: 1, c: 2, h: 4, w: 3), repeating: 2)
        #expect(ValuePolicy.clamp.apply(to: &tensor, rows: 1..<3) == 12)
        #expect(tensor[0, 1, 0, 0] == 2 && tensor[0, 1, 1, 0] == 1 && tensor[0, 0, 2, 2] == 1 && tensor[0, 0, 3, 0] == 2)
    }
}
