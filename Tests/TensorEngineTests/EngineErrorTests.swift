import Foundation
import Testing
import TensorEngine

/// EngineError's cases say what a caller can change (issue 16): a refused parameter, tensors that do not fit
/// together, a tensor too large. Each is made by a real failing call.
@Test func engineFailuresComeAsTheirCase() throws {
    let input = Tensor(shape: TensorShape(n: 1, c: 3, h: 8, w: 8), repeating: 1)
    let weight = Tensor(shape: TensorShape(n: 4, c: 2, h: 3, w: 3), repeating: 1)
    func failure(_ body: () throws -> Void) -> EngineError? { #expect(throws: EngineError.self) { try body() } }

    guard case .shapeMismatch? = failure({ _ = try conv2d(input, weight: weight, bias: nil, parameters: Conv2dParameters()) }) else {
        Issue.record("2 input channels per group against 3"); return
    }
    let fits = Tensor(shape: TensorShape(n: 4, c: 3, h: 3, w: 3), repeating: 1)
    guard case .shapeMismatch? = failure({ _ = try conv2d(input, weight: fits, bias: [1, 2], parameters: Conv2dParameters()) }) else {
        Issue.record("2 biases for 4 output channels"); return
    }
    guard case .invalidParameter(let same)? = failure({ _ = try conv2d(input, weight: fits, bias: nil, parameters: Conv2dParameters(stride: Pair(2), padding: .same)) }) else {
        Issue.record("same at stride 2"); return
    }
    #expect(same.contains("stride 1"))
    // `centred` is the same padding at any stride: ⌈8/2⌉ = 4.
    #expect(try conv2d(input, weight: fits, bias: nil, parameters: Conv2dParameters(stride: Pair(2), padding: .centred)).shape.h == 4)
    guard case .invalidParameter? = failure({ _ = try conv2d(input, weight: fits, bias: nil, parameters: Conv2dParameters(stride: Pair(0))) }) else {
        Issue.record("stride 0"); return
    }
    guard case .limitExceeded? = failure({ try TensorShape(n: 1, c: 1 << 16, h: 1 << 16, w: 2).validateCount() }) else {
        Issue.record("2³³ values"); return
    }
    #expect((EngineError.invalidParameter("x") as Error).localizedDescription == "x")
}
