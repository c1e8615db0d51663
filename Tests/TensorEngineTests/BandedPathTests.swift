import Testing
import TensorEngine
import TensorTestSupport

/// The banded engine paths (conv2d's scratch bands and channel blocks, separableConv2d, boxFilter and the
/// pooling core) against the direct formulas: conv2dReference, and a naive pooling written here.
@Suite struct BandedPathTests {
    static let modes: [PaddingMode] = [.zeros, .reflect, .replicate, .circular, .symmetric, .constant(0.75)]

    /// Wider rows than FastPathTests (16-lane vectors, the overlapping last vector) with strides 2 and 3,
    /// which the scratch layout splits into phases, and dilation.
    @Test(arguments: modes)
    func stridedAndDilatedWideRows(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 17)
        for width in [16, 17, 31, 40, 67] {
            for (stride, dilation, kernel) in [(Pair(2), Pair(1), Pair(3)), (Pair(h: 1, w: 3), Pair(h: 1, w: 2), Pair(h: 3, w: 5)),
                                               (Pair(h: 3, w: 2), Pair(2), Pair(2)), (Pair(2), Pair(1), Pair(1))] {
                let input = randomTensor(TensorShape(n: 1, c: 2, h: 13, w: width), &rng)
                let weight = randomTensor(TensorShape(n: 2, c: 1, h: kernel.h, w: kernel.w), &rng)
                let p = Conv2dParameters(stride: stride, padding: .explicit(Pair(h: 2, w: 2)), dilation: dilation, groups: 2, paddingMode: mode)
                expectClose(try conv2d(input, weight: weight, bias: [0.25, -1], parameters: p),
                            try conv2dReference(input, weight: weight, bias: [0.25, -1], parameters: p),
                            "width \(width) stride \(stride) dilation \(dilation) kernel \(kernel) \(mode)", tolerance: 1e-5)
            }
        }
    }

    /// Dense convolution (the matrix product): full tiles of output channels and every remainder (29 = 3·8 + 4 + 1,
    /// 13 = 8 + 4 + 1, 7 = 4 + 2 + 1, 3 = 2 + 1 channels), groups, output-channel chunks in multiples of eight (few
    /// planes, so channels are split across cores), widths below and above every level's tile, and several bands.
    @Test func denseChannelBlocksAndChunks() throws {
        var rng = SplitMix64(state: 19)
        let cases: [(inC: Int, outC: Int, groups: Int, h: Int, w: Int, kernel: Int, stride: Int)] = [
            (3, 4, 1, 9, 21, 3, 1), (5, 7, 1, 12, 18, 3, 1), (8, 12, 2, 10, 33, 3, 2),
            (16, 16, 1, 40, 40, 3, 1), (6, 9, 3, 7, 7, 1, 1), (4, 13, 1, 70, 5, 5, 1),
            (4, 29, 1, 6, 45, 3, 1), (2, 40, 1, 3, 70, 3, 1),
        ]
        for c in cases {
            let input = randomTensor(TensorShape(n: 2, c: c.inC, h: c.h, w: c.w), &rng)
            let weight = randomTensor(TensorShape(n: c.outC, c: c.inC / c.groups, h: c.kernel, w: c.kernel), &rng)
            let bias = (0..<c.outC).map { _ in Float.random(in: -1...1, using: &rng) }
            for mode in [PaddingMode.zeros, .reflect] {
                let p = Conv2dParameters(stride: Pair(c.stride), padding: .explicit(Pair(c.kernel / 2)), groups: c.groups, paddingMode: mode)
                expectClose(try conv2d(input, weight: weight, bias: bias, parameters: p),
                            try conv2dReference(input, weight: weight, bias: bias, parameters: p), "\(c) \(mode)", tolerance: 1e-4)
            }
        }
    }

    /// `PaddingSpec.sides` equals padding with `pad` and then a `valid` convolution.
    @Test(arguments: modes)
    func unevenSidesEqualPadThenValid(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 23)
        let input = randomTensor(TensorShape(n: 1, c: 3, h: 11, w: 26), &rng)
        let weight = randomTensor(TensorShape(n: 3, c: 1, h: 4, w: 2), &rng)
        let sides = Padding(top: 1, bottom: 2, left: 0, right: 1)
        let viaSides = try conv2d(input, weight: weight, bias: nil,
                                  parameters: Conv2dParameters(padding: .sides(sides), groups: 3, paddingMode: mode))
        let viaPad = try conv2d(try pad(input, padding: sides, mode: mode), weight: weight, bias: nil,
                                parameters: Conv2dParameters(groups: 3))
        expectClose(viaSides, viaPad, "sides \(mode)", tolerance: 1e-5)
    }

    @Test(arguments: modes)
    func separableEqualsTheOuterProductKernel(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 29)
        for (width, kernel, stride, dilation) in [(1, Pair(h: 3, w: 1), Pair(1), Pair(1)), (7, Pair(3), Pair(1), Pair(1)),
                                                  (19, Pair(h: 5, w: 3), Pair(2), Pair(1)), (40, Pair(h: 3, w: 7), Pair(h: 1, w: 3), Pair(h: 2, w: 1)),
                                                  (64, Pair(9), Pair(1), Pair(1)),
                                                  // wider than 1024 padded columns: cut into column strips
                                                  (1100, Pair(h: 5, w: 7), Pair(1), Pair(1)), (1050, Pair(h: 13, w: 3), Pair(1), Pair(h: 2, w: 1)), (50, Pair(h: 11, w: 1), Pair(h: 2, w: 1), Pair(1)), (1030, Pair(3), Pair(1), Pair(h: 1, w: 2)),
                                                  // taller than 8 and not mirrored: streamed rows; wide enough for 16-lane vectors
                                                  (45, Pair(h: 10, w: 4), Pair(1), Pair(1)), (1040, Pair(h: 13, w: 13), Pair(h: 3, w: 1), Pair(1))] {
            let padding = Pair(h: kernel.h / 2, w: min(kernel.w / 2, mode == .reflect ? width - 1 : width))
            let input = randomTensor(TensorShape(n: 2, c: 2, h: width > 100 ? 6 : 23, w: width), &rng)
            var column = (0..<kernel.h).map { _ in Float.random(in: -1...1, using: &rng) }
            var row = (0..<kernel.w).map { _ in Float.random(in: -1...1, using: &rng) }
            if kernel.h % 2 == 1 {  // the odd sizes mirrored, as a Gaussian's: the paired-sample kernel
                for t in 0..<kernel.h / 2 { column[kernel.h - 1 - t] = column[t] }
                for t in 0..<kernel.w / 2 { row[kernel.w - 1 - t] = row[t] }
            }
            let weight = Tensor(shape: TensorShape(n: 2, c: 1, h: kernel.h, w: kernel.w),
                                storage: Array(repeating: column.flatMap { a in row.map { a * $0 } }, count: 2).flatMap { $0 })
            for flip in [false, true] {
                let p = Conv2dParameters(stride: stride, padding: .explicit(padding), dilation: dilation, groups: 2, paddingMode: mode, flip: flip)
                let reference: Tensor
                do { reference = try conv2dReference(input, weight: weight, bias: [0.5, -0.5], parameters: p) } catch {
                    #expect(throws: EngineError.self) { try separableConv2d(input, column: column, row: row, bias: [0.5, -0.5], parameters: p) }
                    continue
                }
                expectClose(try separableConv2d(input, column: column, row: row, bias: [0.5, -0.5], parameters: p), reference,
                            "width \(width) kernel \(kernel) stride \(stride) flip \(flip) \(mode)", tolerance: 1e-5)
            }
        }
    }

    @Test(arguments: modes)
    func boxEqualsTheConstantKernel(mode: PaddingMode) throws {
        var rng = SplitMix64(state: 31)
        for width in [1, 2, 3, 5, 8, 17, 40, 101] {
            for size in [Pair(1), Pair(2), Pair(3), Pair(h: 4, w: 7), Pair(h: 15, w: 5)] {
                let sides = Padding.same(kernel: size)
                guard (try? mode.validate(sides, height: 37, width: width)) != nil else { continue }
                let input = randomTensor(TensorShape(n: 1, c: 3, h: 37, w: width), &rng)
                let scale = 1 / Float(size.h * size.w)
                let weight = Tensor(shape: TensorShape(n: 3, c: 1, h: size.h, w: size.w), repeating: scale)
                let p = Conv2dParameters(padding: .sides(sides), groups: 3, paddingMode: mode)
                expectClose(try boxFilter(input, size: size, scale: scale, bias: [0, 1, -2], parameters: p),
                            try conv2dReference(input, weight: weight, bias: [0, 1, -2], parameters: p),
                            "box \(size) width \(width) \(mode)", tolerance: 1e-5)
            }
        }
        let input = randomTensor(TensorShape(n: 1, c: 1, h: 9, w: 9), &rng)
        #expect(throws: EngineError.self) {
            try boxFilter(input, size: Pair(3), scale: 1, bias: nil, parameters: Conv2dParameters(stride: Pair(2), groups: 1))
        }
    }

    /// Max and average pooling with every window inside the input (16-lane and 8-lane even-half vectors, the
    /// scalar tail) against the formula; PoolingDefinitionTests covers padding, dilation and the modes.
    @Test func poolingWindowsInsideTheInput() throws {
        var rng = SplitMix64(state: 37)
        for (h, w) in [(2, 2), (5, 9), (16, 33), (31, 70)] {
            for (kernel, stride, ceil) in [(Pair(2), Pair(2), false), (Pair(3), Pair(2), false), (Pair(h: 2, w: 3), Pair(h: 1, w: 3), false),
                                           (Pair(2), Pair(2), true), (Pair(1), Pair(1), false)] {
                guard h >= kernel.h, w >= kernel.w else { continue }
                var input = randomTensor(TensorShape(n: 2, c: 3, h: h, w: w), &rng)
                if h * w > 20 { input[1, 2, 1, 1] = .nan }
                let maxOut = try maxPool2d(input, parameters: MaxPool2dParameters(kernel: kernel, stride: stride, ceilMode: ceil)).output
                let avgOut = try avgPool2d(input, parameters: AvgPool2dParameters(kernel: kernel, stride: stride, ceilMode: ceil))
                let withIndices = try maxPool2d(input, parameters: MaxPool2dParameters(kernel: kernel, stride: stride, ceilMode: ceil, returnIndices: true))
                expectClose(maxOut, naivePool(input, kernel: kernel, stride: stride, outputLike: maxOut, max: true), "max \(h)×\(w) \(kernel) \(stride)", tolerance: 0)
                expectClose(maxOut, withIndices.output, "max vs indexed path \(h)×\(w) \(kernel)", tolerance: 0)
                expectClose(avgOut, naivePool(input, kernel: kernel, stride: stride, outputLike: avgOut, max: false), "avg \(h)×\(w) \(kernel) \(stride)", tolerance: 0)
            }
        }
        let override = try avgPool2d(Tensor(shape: TensorShape(n: 1, c: 1, h: 4, w: 4), repeating: 1),
                                     parameters: AvgPool2dParameters(kernel: Pair(2), divisorOverride: 3))
        #expect(override.storage == [Float](repeating: 4 / 3, count: 4))
    }

    /// PyTorch's formula, summing from 0 in row-major order over the window clipped to the input.
    private func naivePool(_ input: Tensor, kernel: Pair, stride: Pair, outputLike out: Tensor, max: Bool) -> Tensor {
        var result = Tensor(shape: out.shape)
        for n in 0..<out.n {
            for c in 0..<out.c {
                for i in 0..<out.h {
                    for j in 0..<out.w {
                        var best = -Float.infinity, sum: Float = 0, count = 0
                        for y in i * stride.h ..< min(i * stride.h + kernel.h, input.h) {
                            for x in j * stride.w ..< min(j * stride.w + kernel.w, input.w) {
                                let v = input[n, c, y, x]
                                if v > best || v.isNaN { best = v }
                                sum += v
                                count += 1
                            }
                        }
                        result[n, c, i, j] = max ? best : sum / Float(count)
                    }
                }
            }
        }
        return result
    }
}
