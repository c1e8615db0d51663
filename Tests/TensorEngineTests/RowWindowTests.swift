import Testing
import TensorEngine
import TensorTestSupport

/// Every operation that reads a ``RowWindow`` gives, on a window in pieces (the strips a row stage was handed, each in
/// a taller tensor whose other rows are NaN), exactly the whole call's bits for the rows asked: it reads each input
/// row where the window keeps it, and nowhere else.
@Suite struct RowWindowTests {
    static let modes: [PaddingMode] = [.zeros, .constant(0.25), .reflect, .replicate, .circular, .symmetric]

    /// A random (N, C, H, W) input with values that make every tap count; a third of them one 8-bit image (values
    /// v/255, 1…4 channels, up to 40 wide: past the 16-pixel vector blocks), which ``RowWindow/scattered(_:rows:rng:)``
    /// hands over partly as ``SampleRows``.
    static func input(_ rng: inout SplitMix64) -> Tensor {
        if rng.below(3) == 0 {
            let shape = TensorShape(n: 1, c: 1 + rng.below(4), h: 1 + rng.below(19), w: 1 + rng.below(40))
            return Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(rng.below(256)) / 255 })
        }
        let shape = TensorShape(n: 1 + rng.below(2), c: [1, 3, 4][rng.below(3)], h: 1 + rng.below(19), w: 1 + rng.below(23))
        return Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(rng.below(2001)) / 1000 - 1 })
    }

    /// Random output rows of a `height`-row output, the window over the input rows `needed` gives for them, and the
    /// check that `run` on it equals the whole output's rows. Returns false when the output is empty.
    static func expectWindowsAgree(_ input: Tensor, whole: Tensor, rng: inout SplitMix64, label: String,
                                   needed: (Range<Int>) -> Range<Int>, run: (RowWindow, Range<Int>) throws -> Tensor) throws {
        guard whole.h > 0 else { return }
        for _ in 0..<3 {
            let first = rng.below(whole.h), rows = first ..< first + 1 + rng.below(whole.h - first)
            let window = RowWindow.scattered(input, rows: needed(rows), rng: &rng)
            #expect(PoolingDefinitionTests.bits(try run(window, rows)) == PoolingDefinitionTests.bits(whole.rows(rows)), "\(label): rows \(rows) of \(whole.h)")
        }
    }

    @Test func convolutionReadsWindowsInPieces() throws {
        var rng = SplitMix64(seed: 1409)
        var compared = 0
        for _ in 0..<300 {
            let x = Self.input(&rng)
            let kernel = Pair(h: 1 + rng.below(4), w: 1 + rng.below(4)), stride = Pair(h: 1 + rng.below(3), w: 1 + rng.below(3))
            let dilation = Pair(h: 1 + rng.below(2), w: 1 + rng.below(2))
            let padding = Padding(top: rng.below(4), bottom: rng.below(4), left: rng.below(4), right: rng.below(4))
            let mode = Self.modes[rng.below(Self.modes.count)]
            let depthwise = rng.below(2) == 0
            let groups = depthwise ? x.c : 1, outChannels = depthwise ? x.c : 1 + rng.below(10)
            let weightShape = TensorShape(n: outChannels, c: x.c / groups, h: kernel.h, w: kernel.w)
            let weight = Tensor(shape: weightShape, storage: (0..<weightShape.count).map { _ in Float(rng.below(201)) / 100 - 1 })
            let bias = rng.below(2) == 0 ? nil : (0..<outChannels).map { Float($0) / 8 }
            let p = Conv2dParameters(stride: stride, padding: .sides(padding), dilation: dilation, groups: groups, paddingMode: mode)
            guard let whole = try? conv2d(x, weight: weight, bias: bias, parameters: p) else { continue }
            let label = "\(x.shape) k \(kernel) s \(stride) d \(dilation) \(padding) \(mode) groups \(groups) → \(outChannels)"
            try Self.expectWindowsAgree(x, whole: whole, rng: &rng, label: label, needed: {
                inputRows(for: $0, kernel: kernel.h, stride: stride.h, dilation: dilation.h, padBefore: padding.top, height: x.h, mode: mode)
            }) { try conv2d($0, weight: weight, bias: bias, parameters: p, rows: $1) }
            compared += 1
        }
        #expect(compared > 100, "too few valid cases: \(compared)")
    }

    @Test func separableAndBoxFiltersReadWindowsInPieces() throws {
        var rng = SplitMix64(seed: 2207)
        var compared = 0
        for _ in 0..<300 {
            let x = Self.input(&rng)
            let kernel = Pair(h: 1 + rng.below(7), w: 1 + rng.below(7))
            let padding = Padding(top: rng.below(4), bottom: rng.below(4), left: rng.below(4), right: rng.below(4))
            let mode = Self.modes[rng.below(Self.modes.count)]
            // A Gaussian-like mirrored factor half the time (the paired kernel), else any.
            func factor(_ n: Int) -> [Float] {
                if rng.below(2) == 0 { return (0..<n).map { Float(min($0, n - 1 - $0) + 1) / Float(n) } }
                return (0..<n).map { _ in Float(rng.below(201)) / 100 - 1 }
            }
            let column = factor(kernel.h), row = factor(kernel.w)
            let stride = Pair(h: 1 + rng.below(2), w: 1 + rng.below(2)), dilation = Pair(h: 1 + rng.below(2), w: 1)
            let p = Conv2dParameters(stride: stride, padding: .sides(padding), dilation: dilation, groups: x.c, paddingMode: mode)
            let label = "\(x.shape) k \(kernel) \(padding) \(mode) s \(stride) d \(dilation)"
            if let whole = try? separableConv2d(x, column: column, row: row, bias: nil, parameters: p) {
                try Self.expectWindowsAgree(x, whole: whole, rng: &rng, label: "separable \(label)", needed: {
                    inputRows(for: $0, kernel: kernel.h, stride: stride.h, dilation: dilation.h, padBefore: padding.top, height: x.h, mode: mode)
                }) { try separableConv2d($0, column: column, row: row, bias: nil, parameters: p, rows: $1) }
                compared += 1
            }
            let boxParameters = Conv2dParameters(padding: .sides(padding), groups: x.c, paddingMode: mode)
            if let whole = try? boxFilter(RowWindow(whole: x), size: kernel, scale: 0.125, bias: nil, parameters: boxParameters, rows: nil) {
                try Self.expectWindowsAgree(x, whole: whole, rng: &rng, label: "box \(label)", needed: {
                    inputRows(for: boxFilterRows($0), kernel: kernel.h, stride: 1, dilation: 1, padBefore: padding.top, height: x.h, mode: mode)
                }) { try boxFilter($0, size: kernel, scale: 0.125, bias: nil, parameters: boxParameters, rows: $1) }
                compared += 1
            }
        }
        #expect(compared > 200, "too few valid cases: \(compared)")
    }

    @Test func padAndAdaptivePoolingReadWindowsInPieces() throws {
        var rng = SplitMix64(seed: 3313)
        for _ in 0..<200 {
            let x = Self.input(&rng)
            let padding = Padding(top: rng.below(5), bottom: rng.below(5), left: rng.below(5), right: rng.below(5))
            let mode = Self.modes[rng.below(Self.modes.count)]
            if let whole = try? pad(x, padding: padding, mode: mode) {
                try Self.expectWindowsAgree(x, whole: whole, rng: &rng, label: "pad \(x.shape) \(padding) \(mode)", needed: {
                    padInputRows(for: $0, padding: padding, mode: mode, height: x.h)
                }) { try pad($0, padding: padding, mode: mode, rows: $1) }
            }
            let size = Pair(h: 1 + rng.below(x.h + 3), w: 1 + rng.below(x.w + 3))
            let needed = { (rows: Range<Int>) in adaptiveInputRows(for: rows, inputCount: x.h, outputCount: size.h) }
            try Self.expectWindowsAgree(x, whole: try adaptiveAvgPool2d(x, outputSize: size), rng: &rng, label: "adaptive avg \(x.shape) → \(size)",
                                        needed: needed) { try adaptiveAvgPool2d($0, outputSize: size, rows: $1) }
            try Self.expectWindowsAgree(x, whole: try adaptiveMaxPool2d(x, outputSize: size).output, rng: &rng, label: "adaptive max \(x.shape) → \(size)",
                                        needed: needed) { try adaptiveMaxPool2d($0, outputSize: size, rows: $1).output }
        }
    }

    /// `conv2d(…into:)` writes the same bits as `conv2d`, into the caller's storage when its shape fits (the buffer's
    /// address is kept), else into a new tensor of the right shape; a buffer shared with the input is not written.
    @Test func convolutionIntoABufferReusesItsStorage() throws {
        let shape = TensorShape(n: 1, c: 3, h: 17, w: 23)
        let x = Tensor(shape: shape, storage: (0..<shape.count).map { Float($0 % 101) / 100 })
        let weight = Tensor(shape: TensorShape(n: x.c, c: 1, h: 3, w: 3), storage: (0..<(9 * x.c)).map { Float($0 % 7) / 7 - 0.4 })
        let p = Conv2dParameters(padding: .same, groups: x.c, paddingMode: .reflect)
        let expected = try conv2d(x, weight: weight, bias: nil, parameters: p)
        var output = Tensor(shape: expected.shape, repeating: .nan)
        let before = output.withUnsafeMutableBufferPointer { $0.baseAddress }
        try conv2d(RowWindow(whole: x), weight: weight, bias: nil, parameters: p, rows: nil, into: &output)
        #expect(output.withUnsafeMutableBufferPointer { $0.baseAddress } == before)
        #expect(PoolingDefinitionTests.bits(output) == PoolingDefinitionTests.bits(expected))
        var wrong = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 1))
        try conv2d(RowWindow(whole: x), weight: weight, bias: nil, parameters: p, rows: nil, into: &wrong)
        #expect(PoolingDefinitionTests.bits(wrong) == PoolingDefinitionTests.bits(expected) && wrong.shape == expected.shape)
        let original = x.storage
        var shared = x
        try conv2d(RowWindow(whole: x), weight: weight, bias: nil, parameters: p, rows: nil, into: &shared)
        #expect(PoolingDefinitionTests.bits(shared) == PoolingDefinitionTests.bits(expected) && x.storage == original)
    }

    /// A window's parts are read in order, whatever tensors hold them; `tensor` and `rows(_:)` join them.
    @Test func aWindowInPiecesJoinsToTheRowsItHolds() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<50 {
            let x = Self.input(&rng)
            let first = rng.below(x.h), rows = first ..< first + 1 + rng.below(x.h - first)
            let window = RowWindow.scattered(x, rows: rows, rng: &rng)
            #expect(window.shape == TensorShape(n: x.n, c: x.c, h: rows.count, w: x.w) && window.rows == rows && window.height == x.h)
            #expect(window.tensor == x.rows(rows))
            let inner = rows.lowerBound + rng.below(rows.count) ..< rows.upperBound
            #expect(window.rows(inner) == x.rows(inner))
        }
    }
}
