import Foundation
import Testing
import TensorEngine

/// Hand-picked refusals, with the sentence naming the numbers; ValidationGridTests (below) checks refusal and
/// acceptance against PyTorch itself over a broad grid.
@Suite struct ValidationTests {
    private func zeros(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Tensor { Tensor(shape: TensorShape(n: n, c: c, h: h, w: w)) }

    private func expectRefusal(_ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an EngineError containing \(fragments)", sourceLocation: sourceLocation)
        } catch let error as EngineError {
            for fragment in fragments {
                #expect(error.description.contains(fragment), "“\(error)” lacks “\(fragment)”", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    private func conv(_ input: Tensor, _ weight: Tensor, bias: [Float]? = nil, _ p: Conv2dParameters) throws {
        _ = try conv2d(input, weight: weight, bias: bias, parameters: p)
    }

    @Test func outputTooSmallNamesTheSizes() {
        expectRefusal(["output would be 0×5: kernel 7 (dilated 7) larger than padded input 6"]) {
            try conv(zeros(1, 1, 4, 9), zeros(1, 1, 7, 7), Conv2dParameters(padding: .explicit(Pair(1))))
        }
        expectRefusal(["output would be 4×0", "kernel 3 (dilated 7) larger than padded input 6"]) {
            try conv(zeros(1, 1, 6, 6), zeros(1, 1, 3, 3), Conv2dParameters(dilation: Pair(h: 1, w: 3)))
        }
    }

    @Test func convolutionArguments() {
        let input = zeros(1, 4, 8, 8), weight = zeros(6, 2, 3, 3)
        expectRefusal(["groups must be at least 1", "0"]) { try conv(input, weight, Conv2dParameters(groups: 0)) }
        expectRefusal(["stride must be at least 1", "(0, 1)"]) { try conv(input, weight, Conv2dParameters(stride: Pair(h: 0, w: 1), groups: 2)) }
        expectRefusal(["dilation must be at least 1", "0"]) { try conv(input, weight, Conv2dParameters(dilation: Pair(0), groups: 2)) }
        expectRefusal(["padding must not be negative", "-1"]) { try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(-1)), groups: 2)) }
        expectRefusal(["\"same\" needs stride 1", "2"]) { try conv(input, weight, Conv2dParameters(stride: Pair(2), padding: .same, groups: 2)) }
        expectRefusal(["6 output channels are not divisible by groups 4"]) { try conv(input, zeros(6, 1, 3, 3), Conv2dParameters(groups: 4)) }
        expectRefusal(["input's 4 channels are not divisible by groups 3"]) { try conv(input, zeros(6, 1, 3, 3), Conv2dParameters(groups: 3)) }
        expectRefusal(["expects 2 input channels", "has 4"]) { try conv(input, weight, Conv2dParameters(groups: 1)) }
        expectRefusal(["expected 6 biases", "got 5"]) { try conv(input, weight, bias: [1, 2, 3, 4, 5], Conv2dParameters(groups: 2)) }
        expectRefusal(["kernel must be at least 1×1", "0×3"]) { try conv(input, zeros(6, 2, 0, 3), Conv2dParameters(groups: 2)) }
        expectRefusal(["at least 1 output channel"]) { try conv(input, zeros(0, 4, 3, 3), Conv2dParameters()) }
    }

    @Test func paddingModeLimits() {
        let input = zeros(1, 1, 4, 5), weight = zeros(1, 1, 3, 3)
        expectRefusal(["reflect padding must be smaller than the input", "padding 4 ≥ height 4"]) {
            try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(4)), paddingMode: .reflect))
        }
        expectRefusal(["circular", "wrap around more than once", "padding 5 > height 4"]) {
            try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(5)), paddingMode: .circular))
        }
        expectRefusal(["symmetric padding must not exceed the input", "padding 6 > width 5"]) {
            try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(h: 1, w: 6)), paddingMode: .symmetric))
        }
        expectRefusal(["replicate padding needs input samples", "height is 0"]) {
            _ = try pad(zeros(1, 1, 0, 3), padding: Padding(Pair(1)), mode: .replicate)
        }
        expectRefusal(["padding must not be negative", "left padding is -2"]) {
            _ = try pad(input, padding: Padding(top: 0, bottom: 0, left: -2, right: 0), mode: .zeros)
        }
        // The limits themselves are allowed: reflect 3 < 4, circular and symmetric 4 ≤ 4.
        #expect(throws: Never.self) { try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(3)), paddingMode: .reflect)) }
        #expect(throws: Never.self) { try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(4)), paddingMode: .circular)) }
        #expect(throws: Never.self) { try conv(input, weight, Conv2dParameters(padding: .explicit(Pair(4)), paddingMode: .symmetric)) }
    }

    @Test func poolingArguments() {
        let input = zeros(1, 1, 5, 5)
        func maxPool(_ p: MaxPool2dParameters) throws { _ = try maxPool2d(input, parameters: p) }
        func avgPool(_ p: AvgPool2dParameters) throws { _ = try avgPool2d(input, parameters: p) }
        expectRefusal(["kernel must be at least 1×1", "0×2"]) { try maxPool(MaxPool2dParameters(kernel: Pair(h: 0, w: 2))) }
        expectRefusal(["stride must be at least 1"]) { try maxPool(MaxPool2dParameters(kernel: Pair(2), stride: Pair(0))) }
        expectRefusal(["dilation must be at least 1"]) { try maxPool(MaxPool2dParameters(kernel: Pair(2), dilation: Pair(0))) }
        expectRefusal(["padding must not be negative", "-1"]) { try maxPool(MaxPool2dParameters(kernel: Pair(3), padding: Pair(-1))) }
        expectRefusal(["at most half the kernel size", "padding is 2 for kernel 3"]) { try maxPool(MaxPool2dParameters(kernel: Pair(3), padding: Pair(2))) }
        expectRefusal(["at most half the kernel size"]) { try avgPool(AvgPool2dParameters(kernel: Pair(3), padding: Pair(2))) }
        expectRefusal(["output would be 0×0", "5×5"]) { try maxPool(MaxPool2dParameters(kernel: Pair(6))) }
        expectRefusal(["output would be 0×0"]) { try avgPool(AvgPool2dParameters(kernel: Pair(6))) }
        expectRefusal(["divisorOverride must not be 0"]) { try avgPool(AvgPool2dParameters(kernel: Pair(2), divisorOverride: 0)) }
        expectRefusal(["countIncludePad false only makes sense with zero padding", "reflect"]) {
            try avgPool(AvgPool2dParameters(kernel: Pair(3), padding: Pair(1), countIncludePad: false, paddingMode: .reflect))
        }
        expectRefusal(["reflect padding must be smaller than the input", "padding 1 ≥ height 1"]) {
            _ = try maxPool2d(zeros(1, 1, 1, 4), parameters: MaxPool2dParameters(kernel: Pair(3), stride: Pair(1), padding: Pair(1), paddingMode: .reflect))
        }
        expectRefusal(["adaptive average pooling needs a non-empty input plane", "0×3"]) { _ = try adaptiveAvgPool2d(zeros(1, 1, 0, 3), outputSize: Pair(1)) }
        expectRefusal(["adaptive max pooling output size must not be negative"]) { _ = try adaptiveMaxPool2d(input, outputSize: Pair(h: 2, w: -1)) }
    }
}

/// One configuration of Fixtures/validation-grid.json (made by Fixtures/make_validation_grid.py with PyTorch 1.13):
/// PyTorch's verdict and, when it accepted, its output shape.
struct GridCase: Decodable, Sendable, CustomStringConvertible {
    enum PaddingValue: Decodable, Sendable {
        case word(String), pair([Int])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let w = try? c.decode(String.self) { self = .word(w) } else { self = .pair(try c.decode([Int].self)) }
        }
    }
    var op: String
    var input: [Int]
    var weight: [Int]?
    var kernel: [Int]?
    var stride: [Int]?
    var padding: PaddingValue
    var dilation: [Int]?
    var groups: Int?
    var padding_mode: String?
    var ceil_mode: Bool?
    var count_include_pad: Bool?
    var divisor_override: Int?
    var accepted: Bool
    var shape: [Int]?
    var torch_error: String?

    var description: String {
        let p: String
        switch padding { case .word(let w): p = w; case .pair(let v): p = "\(v)" }
        return "\(op) input \(input) weight \(weight ?? []) kernel \(kernel ?? []) stride \(stride.map { "\($0)" } ?? "default") "
            + "padding \(p) dilation \(dilation ?? []) groups \(groups ?? 1) \(padding_mode ?? "") ceil \(ceil_mode ?? false) "
            + "include_pad \(count_include_pad ?? true) divisor \(divisor_override.map(String.init) ?? "none")"
    }

    private func pair(_ v: [Int]) -> Pair { Pair(h: v[0], w: v[1]) }
    private func shape(_ v: [Int]) -> TensorShape { TensorShape(n: v[0], c: v[1], h: v[2], w: v[3]) }

    /// Runs the configuration through the engine: the output shape, or the EngineError.
    func run() throws -> TensorShape {
        let x = Tensor(shape: shape(input))
        switch op {
        case "conv2d":
            let spec: PaddingSpec
            switch padding {
            case .word(let w): spec = PaddingSpec(parsing: w)!
            case .pair(let v): spec = .explicit(pair(v))
            }
            let p = Conv2dParameters(stride: pair(stride!), padding: spec, dilation: pair(dilation!), groups: groups!,
                                     paddingMode: PaddingMode(parsing: padding_mode!)!)
            return try conv2d(x, weight: Tensor(shape: shape(weight!)), bias: nil, parameters: p).shape
        case "max_pool2d":
            guard case .pair(let v) = padding else { throw EngineError("bad fixture") }
            let p = MaxPool2dParameters(kernel: pair(kernel!), stride: stride.map(pair), padding: pair(v),
                                        dilation: pair(dilation!), ceilMode: ceil_mode!)
            return try maxPool2d(x, parameters: p).output.shape
        default:
            guard case .pair(let v) = padding else { throw EngineError("bad fixture") }
            let p = AvgPool2dParameters(kernel: pair(kernel!), stride: stride.map(pair), padding: pair(v), ceilMode: ceil_mode!,
                                        countIncludePad: count_include_pad!, divisorOverride: divisor_override)
            return try avgPool2d(x, parameters: p).shape
        }
    }
}

@Suite struct ValidationGridTests {
    static let cases: [GridCase] = {
        struct File: Decodable { var cases: [GridCase] }
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("validation-grid.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(File.self, from: data).cases) ?? []
    }()

    /// Refusal and acceptance both ways: every configuration PyTorch refuses is refused with an EngineError, and
    /// every one it accepts is accepted with PyTorch's output shape.
    @Test func matchesPyTorchOnTheWholeGrid() {
        #expect(Self.cases.count > 2000, "validation-grid.json missing or unreadable")
        #expect(Set(Self.cases.map(\.op)) == ["conv2d", "max_pool2d", "avg_pool2d"])
        #expect(Self.cases.contains { $0.accepted } && Self.cases.contains { !$0.accepted })
        var disagreements: [String] = []
        for c in Self.cases {
            do {
                let got = try c.run()
                if !c.accepted {
                    disagreements.append("accepted (shape \(got)) but PyTorch refuses (\(c.torch_error ?? "")): \(c)")
                } else if [got.n, got.c, got.h, got.w] != c.shape! {
                    disagreements.append("shape \(got), PyTorch \(c.shape!): \(c)")
                }
            } catch let error as EngineError {
                if c.accepted { disagreements.append("refused (\(error)) but PyTorch gives \(c.shape!): \(c)") }
            } catch {
                disagreements.append("not an EngineError: \(error): \(c)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements with PyTorch, first: \(disagreements.prefix(12).joined(separator: "\n"))")
    }
}
