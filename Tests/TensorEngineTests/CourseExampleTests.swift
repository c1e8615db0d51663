import Testing
import TensorEngine

/// The worked examples of the convolution course, number for number.
@Suite struct CourseExampleTests {
    private func tensor(_ rows: [[Float]]) -> Tensor {
        Tensor(shape: TensorShape(c: 1, h: rows.count, w: rows[0].count), storage: rows.flatMap { $0 })
    }

    @Test func fiveByFiveInputWithCrossKernel() throws {
        let input = tensor([[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]])
        let kernel = tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
        let expected: [Float] = [8, 9, 8, 8, 5, 9, 6, 5, 5]
        let output = try conv2d(input, weight: kernel, bias: nil, parameters: Conv2dParameters())
        #expect(output.shape == TensorShape(c: 1, h: 3, w: 3))
        #expect(output.storage == expected)
        #expect(try conv2dReference(input, weight: kernel, bias: nil, parameters: Conv2dParameters()).storage == expected)
    }

    @Test func oneWindowTimesKernelIs19point9() throws {
        let window = tensor([[0, 0, 0], [0, 0.3, 0.5], [0, 0.8, 1]])
        let kernel = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        let output = try conv2d(window, weight: kernel, bias: nil, parameters: Conv2dParameters())
        #expect(output.shape == TensorShape(c: 1, h: 1, w: 1))
        #expect(abs(output.storage[0] - 19.9) < 1e-5)
    }

    @Test(arguments: [
        (227, 11, 4, 0, 55), (64, 7, 2, 0, 29), (32, 5, 1, 2, 32),
        (32, 5, 1, 0, 28), (64, 5, 1, 0, 60), (64, 3, 1, 1, 64), (32, 3, 1, 1, 32),
    ])
    func outputSizes(input: Int, kernel: Int, stride: Int, padding: Int, expected: Int) {
        #expect(outputSize(input: input, kernel: kernel, stride: stride, padBefore: padding, padAfter: padding) == expected)
    }

    @Test func rectangularOutputSizes() {
        #expect(outputSize(input: Pair(h: 32, w: 64), kernel: Pair(5)) == Pair(h: 28, w: 60))
        #expect(outputSize(input: Pair(h: 64, w: 32), kernel: Pair(3), padding: Padding(Pair(1))) == Pair(h: 64, w: 32))
    }

    @Test func formulaTextShowsTheNumbers() {
        #expect(outputSizeFormula(input: 227, kernel: 11, stride: 4) == "⌊(227 + 2·0 − 1·(11 − 1) − 1)/4⌋ + 1 = 55")
        #expect(outputSizeFormula(input: 10, kernel: 3, stride: 1, padBefore: 0, padAfter: 1, dilation: 2)
                == "⌊(10 + 0 + 1 − 2·(3 − 1) − 1)/1⌋ + 1 = 7")
        // ceil mode where PyTorch's last-window rule removes one window: ⌈(5 + 2 − 1 − 1)/2⌉ + 1 = 4 → 3.
        #expect(outputSizeFormula(input: 5, kernel: 2, stride: 2, padBefore: 1, padAfter: 1, ceilMode: true)
                == "⌈(5 + 2·1 − 1·(2 − 1) − 1)/2⌉ + 1 − 1 (the last window would start at 6 ≥ 5 + 1) = 3")
    }

    @Test func ceilModeAndNegativeNumerators() {
        #expect(outputSize(input: 10, kernel: 3, stride: 2, padBefore: 1, padAfter: 1, ceilMode: true) == 6)
        #expect(outputSize(input: 10, kernel: 3, stride: 2, padBefore: 1, padAfter: 1) == 5)
        #expect(outputSize(input: 5, kernel: 2, stride: 2, padBefore: 1, padAfter: 1, ceilMode: true) == 3)
        // Kernel larger than the input: ⌊(4 − 7)/2⌋ + 1 = −1, floor division as PyTorch.
        #expect(outputSize(input: 4, kernel: 7, stride: 2) == -1)
    }

    @Test func lenetShapes() throws {
        let input = Tensor(shape: TensorShape(n: 1, c: 1, h: 28, w: 28), repeating: 0.5)
        let weight = Tensor(shape: TensorShape(n: 5, c: 1, h: 5, w: 5), repeating: 0.1)
        let features = try conv2d(input, weight: weight, bias: [0, 1, 2, 3, 4], parameters: Conv2dParameters())
        #expect(features.shape == TensorShape(n: 1, c: 5, h: 24, w: 24))
        #expect(abs(features[0, 3, 10, 10] - (25 * 0.05 + 3)) < 1e-5)
        let pooled = try maxPool2d(features, parameters: MaxPool2dParameters(kernel: Pair(2)))
        #expect(pooled.output.shape == TensorShape(n: 1, c: 5, h: 12, w: 12))
        #expect(pooled.indices == nil)
    }
}
