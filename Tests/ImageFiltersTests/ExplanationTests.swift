import Testing
import TensorEngine
@testable import ImageFilters

@Suite struct ExplanationTests {
    let course = try! KernelParser.parse("1 2 3 0 1; 0 1 5 1 0; 1 0 2 2 1; 1 1 2 0 0; 1 0 1 1 1").kernel
    let crossKernel = try! KernelParser.parse("1 0 1; 0 1 0; 1 0 1").kernel

    @Test func coursesFirstExampleIsEight() throws {
        let e = Explanation(input: course, operation: .convolution(crossKernel))
        #expect(try e.output().storage == [8, 9, 8, 8, 5, 9, 6, 5, 5])
        let text = try e.render()
        #expect(text.contains("Output[0, 0] = (1×1) + (2×0) + (3×1) + (0×0) + (1×1) + (5×0) + (1×1) + (0×0) + (2×1) = 8"), "\(text)")
        #expect(text.contains("⌊(5 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 3"), "\(text)")
    }

    @Test func coursesWindowIs19Point9() throws {
        let window = try KernelParser.parse("0 0 0; 0 0.3 0.5; 0 0.8 1").kernel
        let kernel = try KernelParser.parse("1 2 3; 4 5 6; 7 8 9").kernel
        let text = try Explanation(input: window, operation: .convolution(kernel)).render()
        #expect(text.hasSuffix("(0×1) + (0×2) + (0×3) + (0×4) + (0.3×5) + (0.5×6) + (0×7) + (0.8×8) + (1×9) = 19.9"), "\(text)")
    }

    @Test func paddingStrideAndAChosenElement() throws {
        let e = Explanation(input: course, operation: .convolution(crossKernel), stride: Pair(2), padding: .explicit(Pair(1)),
                            paddingMode: .replicate)
        let out = try e.output()
        #expect(out.shape == TensorShape(n: 1, c: 1, h: 3, w: 3))
        let text = try e.render(at: [(1, 2)])
        #expect(text.contains("Padded input (7×7; padding 1, replicate):"))
        // Output (1, 2) reads padded rows 2…4, columns 4…6: 5 1 0 → 2 2 1 1 … with replicate on the right.
        #expect(text.contains("Output[1, 2] = (1×1) + (0×0) + (0×1) + (2×0) + (1×1) + (1×0) + (0×1) + (0×0) + (0×1) = \(KernelFormatting.number(out[0, 0, 1, 2]))"), "\(text)")
        #expect(throws: FilterError.self) { try e.render(at: [(3, 0)]) }
    }

    @Test func maxPoolingNamesTheChosenCell() throws {
        let text = try Explanation(input: course, operation: .maxPool(kernel: Pair(2))).render(at: [(0, 1)])
        #expect(text.contains("Output[0, 1] = max(3, 0, 5, 1) = 5  (taken from row 1, column 2 of the input)"), "\(text)")
    }

    @Test func averagePoolingWithPadding() throws {
        let text = try Explanation(input: course, operation: .averagePool(kernel: Pair(2)), padding: .explicit(Pair(1))).render()
        #expect(text.contains("Output[0, 0] = (0 + 0 + 0 + 1) / 4 = 0.25"), "\(text)")
    }

    @Test func dilationSpreadsTheTaps() throws {
        let e = Explanation(input: course, operation: .convolution(try Kernel([[1, 1], [1, 1]])), dilation: Pair(2))
        #expect(try e.output().shape == TensorShape(n: 1, c: 1, h: 3, w: 3))
        #expect(try e.render().contains("Output[0, 0] = (1×1) + (3×1) + (1×1) + (2×1) = 7"))
    }
}
