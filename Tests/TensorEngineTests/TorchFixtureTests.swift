import Foundation
import Testing
import TensorEngine
import TensorTestSupport

/// One entry of Fixtures/torch/cases.json, written by Fixtures/make_torch_fixtures.py.
struct TorchCase: Decodable, Sendable, CustomTestStringConvertible {
    enum ConvPadding: Decodable, Sendable {
        case word(String), pair([Int])
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let word = try? container.decode(String.self) { self = .word(word) } else { self = .pair(try container.decode([Int].self)) }
        }
    }

    var name: String
    var op: String
    var input: String
    var expected: String
    var weight: String?
    var bias: String?
    var indices: String?
    var stride: [Int]?
    var dilation: [Int]?
    var groups: Int?
    var padding: ConvPadding?
    var padding_mode: String?
    var flip: Bool?
    var kernel: [Int]?
    var ceil_mode: Bool?
    var count_include_pad: Bool?
    var divisor_override: Int?
    var output_size: [Int]?

    var testDescription: String { name }
}

struct TorchManifest: Decodable {
    var torch: String
    var cases: [TorchCase]
}

let fixturesFolder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("torch")

let torchCases: [TorchCase] = {
    guard let data = try? Data(contentsOf: fixturesFolder.appendingPathComponent("cases.json")),
          let manifest = try? JSONDecoder().decode(TorchManifest.self, from: data) else { return [] }
    return manifest.cases
}()

private func pair(_ values: [Int]?) -> Pair? { values.map { Pair(h: $0[0], w: $0[1]) } }

@Suite struct TorchFixtureTests {
    @Test func manifestLoadsEveryCase() {
        #expect(torchCases.count >= 70, "cases.json missing or unreadable at \(fixturesFolder.path)")
        let ops = Set(torchCases.map(\.op))
        #expect(ops == ["conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "pad"])
    }

    @Test(arguments: torchCases)
    func matchesPyTorch(_ c: TorchCase) throws {
        let input = try Npy.tensor(fixturesFolder.appendingPathComponent(c.input))
        let expected = try Npy.tensor(fixturesFolder.appendingPathComponent(c.expected))
        var indices: [Int64]?
        let output: Tensor
        switch c.op {
        case "conv2d":
            let weight = try Npy.tensor(fixturesFolder.appendingPathComponent(c.weight!))
            let w = weight.reshaped(TensorShape(n: expected.c, c: input.c / c.groups!, h: weight.h, w: weight.w))
            let bias = try c.bias.map { try Npy.load(fixturesFolder.appendingPathComponent($0)).floats }
            let spec: PaddingSpec
            switch c.padding! {
            case .word(let word): spec = PaddingSpec(parsing: word)!
            case .pair(let p): spec = .explicit(Pair(h: p[0], w: p[1]))
            }
            let parameters = Conv2dParameters(stride: pair(c.stride)!, padding: spec, dilation: pair(c.dilation)!,
                                              groups: c.groups!, paddingMode: PaddingMode(parsing: c.padding_mode!)!, flip: c.flip!)
            output = try conv2d(input, weight: w, bias: bias, parameters: parameters)
            let reference = try conv2dReference(input, weight: w, bias: bias, parameters: parameters)
            let referenceComparison = expectClose(reference, expected, c.name + " (reference)", tolerance: TorchTolerance.convolution)
            if ProcessInfo.processInfo.environment["IMGCONV_PRINT_WORST"] != nil { print("WORST reference \(c.name) \(referenceComparison?.worstFiniteDifference ?? -1)") }
        case "max_pool2d":
            guard case .pair(let p) = c.padding! else { Issue.record("bad padding"); return }
            let parameters = MaxPool2dParameters(kernel: pair(c.kernel)!, stride: pair(c.stride), padding: Pair(h: p[0], w: p[1]),
                                                 dilation: pair(c.dilation)!, ceilMode: c.ceil_mode!, returnIndices: true)
            let result = try maxPool2d(input, parameters: parameters)
            (output, indices) = (result.output, result.indices)
        case "avg_pool2d":
            guard case .pair(let p) = c.padding! else { Issue.record("bad padding"); return }
            let parameters = AvgPool2dParameters(kernel: pair(c.kernel)!, stride: pair(c.stride), padding: Pair(h: p[0], w: p[1]),
                                                 ceilMode: c.ceil_mode!, countIncludePad: c.count_include_pad!,
                                                 divisorOverride: c.divisor_override)
            output = try avgPool2d(input, parameters: parameters)
        case "adaptive_avg_pool2d":
            output = try adaptiveAvgPool2d(input, outputSize: pair(c.output_size)!)
        case "adaptive_max_pool2d":
            let result = try adaptiveMaxPool2d(input, outputSize: pair(c.output_size)!, returnIndices: true)
            (output, indices) = (result.output, result.indices)
        case "pad":
            guard case .pair(let p) = c.padding! else { Issue.record("bad padding"); return }
            output = try pad(input, padding: Padding(top: p[0], bottom: p[1], left: p[2], right: p[3]),
                             mode: PaddingMode(parsing: c.padding_mode!)!)
        default:
            Issue.record("unknown op \(c.op)")
            return
        }
        let comparison = expectClose(output, expected, c.name, tolerance: TorchTolerance.of(op: c.op))
        if ProcessInfo.processInfo.environment["IMGCONV_PRINT_WORST"] != nil { print("WORST \(c.op) \(c.name) \(comparison?.worstFiniteDifference ?? -1)") }
        if let file = c.indices {
            let expectedIndices = try Npy.load(fixturesFolder.appendingPathComponent(file)).integers
            #expect(indices == expectedIndices, "\(c.name): indices differ")
        }
    }
}
