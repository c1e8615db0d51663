import Foundation
import Testing
import TensorEngine

/// Fixtures/layer_tables.json, written by Fixtures/make_layer_tables.py from torch.nn modules.
struct LayerTableFixture: Decodable {
    struct Layer: Decodable {
        enum Padding: Decodable {
            case word(String), pair([Int])
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let w = try? c.decode(String.self) { self = .word(w) } else { self = .pair(try c.decode([Int].self)) }
            }
        }
        var kind: String
        var out: Int?
        var kernel: [Int]
        var stride: [Int]?
        var padding: Padding?
        var dilation: [Int]?
        var groups: Int?
        var bias: Bool?
        var ceil: Bool?

        var spec: LayerSpec {
            let pair = { (v: [Int]?) in v.map { Pair(h: $0[0], w: $0[1]) } }
            let k = pair(kernel)!
            let poolPadding: Pair = if case .pair(let p) = padding { Pair(h: p[0], w: p[1]) } else { Pair(0) }
            switch kind {
            case "conv":
                let p: PaddingSpec = switch padding {
                case .word("same"): .same
                case .word: .valid
                case .pair(let v): .explicit(Pair(h: v[0], w: v[1]))
                case nil: .explicit(Pair(0))
                }
                return .conv(outChannels: out, kernel: k, stride: pair(stride) ?? Pair(1), padding: p,
                             dilation: pair(dilation) ?? Pair(1), groups: groups ?? 1, bias: bias ?? true)
            case "maxpool":
                return .maxPool(kernel: k, stride: pair(stride), padding: poolPadding, dilation: pair(dilation) ?? Pair(1), ceilMode: ceil ?? false)
            default:
                return .avgPool(kernel: k, stride: pair(stride), padding: poolPadding, ceilMode: ceil ?? false)
            }
        }
    }
    struct Row: Decodable { var name: String; var output: [Int]; var parameters: Int }
    struct Network: Decodable { var input: [Int]; var layers: [Layer]; var expected: [Row] }
    var torch: String
    var networks: [Network]
}

@Suite struct LayerTableTests {
    @Test func shapesNamesAndParameterCountsAreTorchs() throws {
        let url = Bundle.module.url(forResource: "Fixtures/layer_tables.json", withExtension: nil)!
        let fixture = try JSONDecoder().decode(LayerTableFixture.self, from: Data(contentsOf: url))
        #expect(fixture.networks.count == 5)
        for net in fixture.networks {
            let i = net.input
            let table = try LayerTable(input: TensorShape(n: i[0], c: i[1], h: i[2], w: i[3]), layers: net.layers.map(\.spec))
            #expect(table.rows.count == net.expected.count)
            for (row, expected) in zip(table.rows, net.expected) {
                #expect(row.name == expected.name)
                let o = row.output
                #expect([o.n, o.c, o.h, o.w] == expected.output, "\(expected.name)")
                #expect(row.parameters == expected.parameters, "\(expected.name)")
            }
            #expect(table.totalParameters == net.expected.map(\.parameters).reduce(0, +))
        }
    }

    @Test func theLessonsNetwork() throws {
        let table = try LayerTable(input: TensorShape(n: 1, c: 1, h: 28, w: 28),
                                   layers: [.conv(outChannels: 5, kernel: Pair(5)), .maxPool(kernel: Pair(2))])
        #expect(table.rows.map(\.parameters) == [130, 0])
        #expect(table.output == TensorShape(n: 1, c: 5, h: 12, w: 12))
        #expect(table.rows[0].rowsFormula == "⌊(28 + 2·0 − 1·(5 − 1) − 1)/1⌋ + 1 = 24")
        #expect(table.rows[0].rowsLesson == "(28 − 5 + 0)/1 + 1 = 23 + 1 = 24")
    }

    @Test func refusedLayersNameTheirNumber() {
        #expect(throws: EngineError("layer 2: output would be 0×0: kernel 7 (dilated 7) larger than padded input 6")) {
            try LayerTable(input: TensorShape(n: 1, c: 1, h: 8, w: 8),
                           layers: [.conv(outChannels: 2, kernel: Pair(3)), .conv(outChannels: 2, kernel: Pair(7))])
        }
        #expect(throws: EngineError.self) {  // groups must divide the channels
            try LayerTable(input: TensorShape(n: 1, c: 3, h: 8, w: 8), layers: [.conv(outChannels: 4, kernel: Pair(3), groups: 2)])
        }
        #expect(throws: EngineError.self) {  // 2³¹ output channels: the weight alone exceeds the tensor limit
            try LayerTable(input: TensorShape(n: 1, c: 2, h: 8, w: 8), layers: [.conv(outChannels: Int(Int32.max), kernel: Pair(3))])
        }
    }
}

@Suite struct LessonFormulaTests {
    @Test func theExercisesOwnNumbers() {
        #expect(lessonFormula(input: 64, kernel: 7, stride: 2) == "(64 − 7 + 0)/2 + 1 = 28.5 + 1 → 29")
        #expect(lessonFormula(input: 227, kernel: 11, stride: 4) == "(227 − 11 + 0)/4 + 1 = 54 + 1 = 55")
        #expect(lessonFormula(input: 32, kernel: 5, stride: 3, padBefore: 1, padAfter: 1) == "(32 − 5 + 2)/3 + 1 = 9.666… + 1 → 10")
        #expect(lessonFormula(input: 5, kernel: 2, stride: 2, ceilMode: true) == "(5 − 2 + 0)/2 + 1 = 1.5 + 1 → 3 (rounded up)")
        #expect(lessonFormula(input: 5, kernel: 3, dilation: 2) == nil)
    }

    /// For every small configuration the lesson's result is the engine's output size: same arithmetic, two forms.
    @Test func agreesWithOutputSizeEverywhere() {
        for size in 1...12 {
            for kernel in 1...size + 2 {
                for stride in 1...4 {
                    for pad in 0...2 {
                        for ceil in [false, true] {
                            let n = outputSize(input: size, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad, ceilMode: ceil)
                            guard n >= 1, let text = lessonFormula(input: size, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad, ceilMode: ceil) else { continue }
                            // "(N − F + 2P)/S", "= q", "→ n …" or "= n"
                            let parts = text.components(separatedBy: " + 1 ")
                            #expect(parts.count == 3, "\(text)")
                            #expect(Int(parts[2].split(separator: " ")[1]) == n, "\(text)")
                            let q = String(parts[1].dropFirst(2))
                            let exact = Double(size - kernel + 2 * pad) / Double(stride)
                            if q.hasSuffix("…") {
                                #expect(abs(Double(q.dropLast())! - exact) < 1e-3, "\(text)")
                            } else {
                                #expect(Double(q) == exact, "\(text)")
                            }
                        }
                    }
                }
            }
        }
    }
}
