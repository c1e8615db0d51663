import Foundation
import Testing
import TensorEngine
@testable import ImageFilters

/// Fixtures/explain_reference.json, written by Fixtures/make_explain_reference.py with PyTorch.
struct ExplainCase: Decodable, CustomTestStringConvertible {
    var name: String
    var input: [[Float]]
    var op: String
    var kernel: [[Float]]?
    var window: [Int]?
    var stride: [Int]?
    var padding: [Int]?
    var padding_mode: String?
    var dilation: [Int]?
    var bias: Float?
    var flip: Bool?
    var ceil_mode: Bool?
    var count_include_pad: Bool?
    var output_shape: [Int]
    var output: [Float]
    var testDescription: String { name }

    func explanation() throws -> Explanation {
        let pair = { (v: [Int]?) in v.map { Pair(h: $0[0], w: $0[1]) } }
        let operation: Explanation.Operation = switch op {
        case "conv": .convolution(try Kernel(kernel!))
        case "max": .maxPool(kernel: pair(window)!)
        default: .averagePool(kernel: pair(window)!)
        }
        return Explanation(input: try Kernel(input), operation: operation, stride: pair(stride),
                           padding: .explicit(pair(padding) ?? Pair(0)), paddingMode: padding_mode.flatMap { PaddingMode(parsing: $0) },
                           dilation: pair(dilation) ?? Pair(1), bias: bias ?? 0, flip: flip ?? false,
                           ceilMode: ceil_mode ?? false, countIncludePad: count_include_pad ?? true)
    }
}

struct ExplainManifest: Decodable { var torch: String; var cases: [ExplainCase] }

let explainCases: [ExplainCase] = {
    let url = Bundle.module.url(forResource: "Fixtures/explain_reference.json", withExtension: nil)!
    return try! JSONDecoder().decode(ExplainManifest.self, from: Data(contentsOf: url)).cases
}()

@Suite struct ExplainTorchTests {
    @Test func fixtureIsComplete() { #expect(explainCases.count == 15) }

    /// The output grid and every written-out sum, evaluated from its own terms, are PyTorch's numbers.
    @Test(arguments: explainCases) func outputAndEverySumAreTorchs(_ c: ExplainCase) throws {
        let e = try c.explanation()
        let out = try e.output()
        #expect([out.h, out.w] == c.output_shape)
        let (padded, pads, _) = try e.paddedInput()
        for (i, position) in try e.allPositions().enumerated() {
            let expected = c.output[i]
            #expect(abs(out.storage[i] - expected) <= 1e-5 * max(1, abs(expected)), "output \(position)")
            let terms = e.writtenTerms(position, padded: padded, pads: pads)
            let value: Float = switch c.op {
            case "conv": terms.reduce(Float(0)) { $0 + $1.value * $1.weight } + (c.bias ?? 0)
            case "max": terms.map(\.value).max()!
            default: terms.map(\.value).reduce(0, +) / Float(terms.count)
            }
            #expect(abs(value - expected) <= 1e-5 * max(1, abs(expected)), "written-out sum at \(position): \(terms.map(\.value))")
        }
        // --all writes one line per output element, each ending in the engine's value.
        let text = try e.render(at: try e.allPositions())
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("Output[") }.count == out.h * out.w)
    }

    @Test func biasAndFlipAreWrittenOut() throws {
        let course = try Kernel([[1, 2, 3, 0, 1], [0, 1, 5, 1, 0], [1, 0, 2, 2, 1], [1, 1, 2, 0, 0], [1, 0, 1, 1, 1]])
        let sobel = try KernelParser.parse("sobel-x").kernel
        let text = try Explanation(input: course, operation: .convolution(sobel), bias: -1, flip: true).render(at: [(0, 0), (2, 2)])
        #expect(text.contains("rotated 180° (--flip: true convolution), as it slides:"), "\(text)")
        #expect(text.contains("Output[0, 0] = (1×1) + (2×0) + (3×-1) + (0×2) + (1×0) + (5×-2) + (1×1) + (0×0) + (2×-1) + (-1) = -14"), "\(text)")
        #expect(text.contains("Output[2, 2] ="))
        #expect(text.contains("(5 − 3 + 0)/1 + 1 = 2 + 1 = 3"))
    }

    @Test func poolingOptionsAreRefusedOnConvolutionAndBackwards() throws {
        let m = try Kernel([[1, 2], [3, 4]])
        #expect(throws: FilterError.self) { try Explanation(input: m, operation: .convolution(try Kernel([[1]])), ceilMode: true).output() }
        #expect(throws: FilterError.self) { try Explanation(input: m, operation: .maxPool(kernel: Pair(2)), bias: 1).output() }
        #expect(throws: FilterError.self) { try Explanation(input: m, operation: .maxPool(kernel: Pair(2)), countIncludePad: false).output() }
    }
}
