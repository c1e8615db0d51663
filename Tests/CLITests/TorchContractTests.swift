import Foundation
import Testing
import ImageCodecs
import TensorEngine
import TensorTestSupport

/// The CLI contract of issue 3, end to end: every PyTorch fixture (made by
/// Tests/TensorEngineTests/Fixtures/make_torch_fixtures.py) run through `imgconv conv|maxpool|avgpool|pad`
/// on `.npy` files must give PyTorch's numbers (convolution within `TorchTolerance.convolution`, pooling and
/// padding exactly, NaN where PyTorch has NaN) and pooling indices exactly.
@Suite struct TorchContractTests {
    struct Manifest: Decodable { var cases: [Case] }
    struct Case: Decodable {
        var name: String
        var op: String
        var input: String
        var expected: String
        var weight: String?
        var bias: String?
        var indices: String?
        var stride: [Int]?
        var padding: PaddingValue?
        var dilation: [Int]?
        var groups: Int?
        var padding_mode: String?
        var flip: Bool?
        var kernel: [Int]?
        var ceil_mode: Bool?
        var count_include_pad: Bool?
        var divisor_override: Int?
        var output_size: [Int]?
    }
    enum PaddingValue: Decodable {
        case numbers([Int]), word(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let w = try? c.decode(String.self) { self = .word(w) } else { self = .numbers(try c.decode([Int].self)) }
        }
        var text: String {
            switch self {
            case .word(let w): w
            case .numbers(let n): n.map(String.init).joined(separator: ",")
            }
        }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TensorEngineTests/Fixtures/torch").standardized
    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Manifest.self, from: data).cases) ?? []
    }()

    static func pair(_ v: [Int]) -> String { v.map(String.init).joined(separator: ",") }
    func path(_ name: String) -> String { Self.folder.appendingPathComponent(name).path }

    func arguments(for c: Case, output: String, indices: String) -> [String] {
        var a: [String]
        switch c.op {
        case "conv2d":
            a = ["conv", path(c.input), output, "--weight", path(c.weight!)]
            if let b = c.bias { a += ["--bias", path(b)] }
            if let g = c.groups { a += ["--groups", "\(g)"] }
            if c.flip == true { a.append("--flip") }
        case "max_pool2d", "adaptive_max_pool2d":
            a = ["maxpool", path(c.input), output, "--indices", indices]
        case "avg_pool2d", "adaptive_avg_pool2d":
            a = ["avgpool", path(c.input), output]
            if c.count_include_pad == false { a.append("--no-count-include-pad") }
            if let d = c.divisor_override { a += ["--divisor-override", "\(d)"] }
        default:
            a = ["pad", path(c.input), output]
        }
        if let k = c.kernel { a += ["--kernel-size", Self.pair(k)] }
        if let o = c.output_size { a += ["--output-size", Self.pair(o)] }
        if let s = c.stride { a += ["--stride", Self.pair(s)] }
        if let d = c.dilation, c.op != "avg_pool2d" { a += ["--dilation", Self.pair(d)] }
        if c.ceil_mode == true { a.append("--ceil-mode") }
        if let p = c.padding {
            if c.op == "pad", case .numbers(let n) = p {
                a += ["--padding", n.map(String.init).joined(separator: ",")]  // top, bottom, left, right
            } else {
                a += ["--padding", p.text]
            }
        }
        if let m = c.padding_mode { a += ["--padding-mode", m] }
        return a
    }

    @Test func everyFixtureThroughTheCommandLine() throws {
        #expect(Self.cases.count >= 70, "fixtures missing at \(Self.folder.path)")
        let tmp = try CLI.temporaryFolder()
        for c in Self.cases {
            let output = tmp.appendingPathComponent("\(c.name).npy").path
            let indices = tmp.appendingPathComponent("\(c.name)_indices.npy").path
            let args = arguments(for: c, output: output, indices: indices)
            let r = try CLI.run(args)
            try #require(r.status == 0, "\(c.name): imgconv \(args.joined(separator: " ")) → \(r.stderr)")
            let got = try NumpyFile.read(contentsOf: AtomicFile.read(output), path: output)
            let want = try NumpyFile.read(contentsOf: AtomicFile.read(path(c.expected)), path: c.expected)
            expectClose(got, want, c.name, tolerance: TorchTolerance.of(op: c.op))
            if let file = c.indices {
                let gotIndices = try NumpyFile.readArray(contentsOf: AtomicFile.read(indices), path: indices)
                let wantIndices = try NumpyFile.readArray(contentsOf: AtomicFile.read(path(file)), path: file)
                #expect(gotIndices.tensor.storage == wantIndices.tensor.storage, "\(c.name): indices")
            }
        }
    }
}
