import CKernels
import Testing
import TensorEngine
import TensorTestSupport

/// The engine's inner loops (CKernels) run at every vector width the CPU has, and every width gives the same bits:
/// each output is computed with the same operations in the same order, without fused multiply-adds. The one
/// exception is dense convolution (a group with several output channels: the matrix product), which fuses each
/// multiply-add at AVX2 and AVX-512: those two agree bit for bit, and they differ from the baseline by rounding only.
@Suite(.serialized) struct VectorLevelTests {
    static func random(_ shape: TensorShape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(Int64(generator.next() % 20_001) - 10_000) / 3_333 })
    }

    /// Every path of the per-channel row kernels: widths below 8, 8…15 and above 16 (the overlapped last block),
    /// depthwise (one output channel per group), mirrored (Gaussian) factors, tall column passes.
    static func results() throws -> [Tensor] {
        var out: [Tensor] = []
        for (h, w) in [(9, 5), (11, 13), (37, 61), (64, 1030)] {
            let x = random(TensorShape(n: 1, c: 6, h: h, w: w), seed: UInt64(h * w))
            let depthwise = random(TensorShape(n: 6, c: 1, h: 5, w: 5), seed: 8)
            out.append(try conv2d(x, weight: depthwise, bias: nil,
                                  parameters: Conv2dParameters(stride: Pair(h: 1, w: 2), padding: .sides(Padding(Pair(2))), dilation: Pair(1), groups: 6)))
            let gaussian: [Float] = [0.05, 0.25, 0.4, 0.25, 0.05]
            out.append(try separableConv2d(x, column: gaussian, row: gaussian, bias: nil,
                                           parameters: Conv2dParameters(padding: .sides(Padding(Pair(2))), groups: 6, paddingMode: .reflect)))
            let tall = (0..<13).map { Float($0 % 5) - 1.7 }
            out.append(try separableConv2d(x, column: tall, row: [1, -2, 3], bias: nil,
                                           parameters: Conv2dParameters(padding: .sides(Padding(top: 6, bottom: 6, left: 1, right: 1)), groups: 6, paddingMode: .replicate)))
        }
        return out
    }

    /// Every path of the matrix product: widths below 4, 4…7, 8…15, 16…31 and above 32 (the overlapped last tile
    /// at every level's tile width), output channels per group 1 (not a product), 3, 15 (8 + 4 + 2 + 1 at AVX-512) and 20
    /// (two blocks of eight and a half one, chunked across cores), strides and dilation.
    static func denseResults() throws -> [Tensor] {
        var out: [Tensor] = []
        for (h, w) in [(3, 3), (5, 7), (9, 13), (6, 29), (37, 61), (7, 200)] {
            let x = random(TensorShape(n: 1, c: 6, h: h, w: w), seed: UInt64(h * w + 1))
            for (outputs, groups) in [(6, 2), (15, 1), (20, 1)] {
                let weight = random(TensorShape(n: outputs, c: 6 / groups, h: 3, w: 3), seed: UInt64(outputs))
                out.append(try conv2d(x, weight: weight, bias: (0..<outputs).map { Float($0) / 7 },
                                      parameters: Conv2dParameters(padding: .sides(Padding(Pair(1))), groups: groups)))
            }
            let strided = random(TensorShape(n: 9, c: 6, h: 2, w: 3), seed: 11)
            out.append(try conv2d(x, weight: strided, bias: nil,
                                  parameters: Conv2dParameters(stride: Pair(h: 2, w: 3), padding: .sides(Padding(Pair(2))), dilation: Pair(h: 1, w: 2),
                                                               paddingMode: .reflect)))
        }
        return out
    }

    /// Whether two tensors hold the same bits (a Bool, so that a failure does not make the test library diff two long arrays).
    static func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
        let (x, y) = (a.storage, b.storage)
        return a.shape == b.shape && x.indices.allSatisfy { x[$0].bitPattern == y[$0].bitPattern }
    }

    @Test func denseProductsAgreeAcrossLevels() throws {
        let levels = VectorLevel.supported
        let baseline = try VectorLevel.with(levels[0]) { try Self.denseResults() }
        var fused: [Tensor]?
        for level in levels.dropFirst() {
            let results = try VectorLevel.with(level) { try Self.denseResults() }
            for (a, b) in zip(results, baseline) {
                // Within 1e-6 of the output's largest magnitude: one rounding per product less than the baseline.
                let scale = b.storage.map(abs).max() ?? 0
                expectClose(a, b, "\(level) against \(levels[0]): \(a.shape)", tolerance: 1e-6 * scale)
            }
            if let fused {  // every fused level computes the same fused sums
                for (a, b) in zip(results, fused) {
                    #expect(Self.sameBits(a, b), "\(level): \(a.shape)")
                }
            }
            fused = results
        }
        // Where every product and sum is exact (small integers), fusing changes nothing: every level gives the same bits.
        var generator = SplitMix64(seed: 14)
        let shape = TensorShape(n: 1, c: 5, h: 7, w: 45)
        let x = Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(generator.below(33)) - 16 })
        let weight = Tensor(shape: TensorShape(n: 11, c: 5, h: 3, w: 3), storage: (0..<495).map { _ in Float(generator.below(9)) - 4 })
        let exact = try levels.map { level in
            try VectorLevel.with(level) { try conv2d(x, weight: weight, bias: nil, parameters: Conv2dParameters(padding: .sides(Padding(Pair(1))))) }
        }
        let expected = try conv2dReference(x, weight: weight, bias: nil, parameters: Conv2dParameters(padding: .sides(Padding(Pair(1)))))
        for (level, result) in zip(levels, exact) {
            #expect(Self.sameBits(result, expected), "\(level): exact integer sums")
        }
    }

    @Test func everyLevelGivesTheSameBits() throws {
        let levels = VectorLevel.supported
        #expect(!levels.isEmpty && levels.contains(VectorLevel.current))
        let reference = try VectorLevel.with(levels[0]) { try Self.results() }
        for level in levels.dropFirst() {
            let results = try VectorLevel.with(level) { try Self.results() }
            for (a, b) in zip(reference, results) {
                #expect(Self.sameBits(a, b), "\(level) against \(levels[0]): \(a.shape)")
            }
        }
    }

    /// The row kernels' block grid (a block at 0, then 64-byte-aligned blocks in groups, then one ending at the row's
    /// end) and their streaming stores: for outputs at every offset from a cache line, widths from one block to
    /// several groups, ordinary and mirrored weights, streaming or not, every level writes exactly the scalar sums
    /// (bias, then each tap in order; mirrored: the middle tap, then each pair added first) and nothing outside the row.
    @Test func rowKernelsWriteTheScalarSumsAtEveryAlignment() {
        let taps = 7, rowLength = 300
        var generator = SplitMix64(seed: 21)
        let row = (0..<rowLength).map { _ in Float(Int64(generator.next() % 20_001) - 10_000) / 3_333 }
        let offsets = [0, 1, 2, 3, 4, 5, 6]
        let plain: [Float] = [0.3, -1.1, 0.7, 2.5, -0.4, 0.9, 1.3], mirrored: [Float] = [0.1, -0.6, 0.9, 1.7, 0.9, -0.6, 0.1]
        func expected(_ weights: [Float], symmetric: Bool, bias: Float, width: Int) -> [Float] {
            (0..<width).map { j in
                var acc = bias
                if symmetric {
                    acc += row[offsets[3] + j] * weights[3]
                    for t in 0..<3 { acc += (row[offsets[t] + j] + row[offsets[taps - 1 - t] + j]) * weights[t] }
                } else {
                    for t in 0..<taps { acc += row[offsets[t] + j] * weights[t] }
                }
                return acc
            }
        }
        // 64-byte-aligned storage with room for 16 guard floats on each side of the widest row.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 4 * 400, alignment: 64).bindMemory(to: Float.self, capacity: 400)
        defer { storage.deallocate() }
        for level in VectorLevel.supported {
            VectorLevel.with(level) {
                for width in [16, 17, 31, 32, 47, 64, 79, 80, 129, 200, 293] {
                    let wanted = (plain: expected(plain, symmetric: false, bias: 0.25, width: width),
                                  mirrored: expected(mirrored, symmetric: true, bias: -0.5, width: width))
                    for misalignment in 0..<16 {
                        for stream in [Int32(0), 1] {
                            for symmetric in [false, true] {
                                storage.initialize(repeating: .nan, count: 400)
                                let out = storage + 16 + misalignment
                                if symmetric {
                                    ck_convolve_symmetric_row(row, offsets, mirrored, taps, -0.5, out, width, stream)
                                } else {
                                    ck_convolve_row(row, offsets, plain, taps, 0.25, out, width, stream)
                                }
                                let want = symmetric ? wanted.mirrored : wanted.plain
                                let same = (0..<width).allSatisfy { out[$0].bitPattern == want[$0].bitPattern }
                                let untouched = (0..<(16 + misalignment)).allSatisfy { storage[$0].isNaN }
                                    && ((16 + misalignment + width)..<400).allSatisfy { storage[$0].isNaN }
                                #expect(same && untouched, "\(level): width \(width), \(misalignment) floats past a line, stream \(stream), symmetric \(symmetric)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// One channel of interleaved 8-bit pixels to Floats (`ck_spread8_channel`, how a band scratch is filled from
    /// ``SampleRows``) gives exactly Float(v)/255 at every level: 1…4 channels, every channel, every count 0…70 (every
    /// tail and overlapped last block of the 8- and 16-pixel blocks) and wide rows, a destination 0…15 floats off a
    /// cache line, every byte value, and no float written outside the count.
    @Test func oneChannelOfSamplesSpreadsToTheTable() {
        for level in VectorLevel.supported {
            VectorLevel.with(level) {
                for channels in 1...4 {
                    for count in Array(0...70) + [255, 256, 259, 1000] {
                        let bytes = (0..<(count * channels)).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ $0 / 7) }
                        for channel in 0..<channels {
                            for shift in [0, 1, 7, 15] {
                                var out = [Float](repeating: .nan, count: count + 32)
                                bytes.withUnsafeBufferPointer { b in
                                    out.withUnsafeMutableBufferPointer { o in
                                        ck_spread8_channel(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, channels, channel, count,
                                                           o.baseAddress! + shift)
                                    }
                                }
                                let wrong = (0..<(count + 32)).filter { i in
                                    let k = i - shift
                                    guard k >= 0 && k < count else { return !out[i].isNaN }
                                    return out[i].bitPattern != (Float(bytes[k * channels + channel]) / 255).bitPattern
                                }
                                #expect(wrong.isEmpty, "\(level) C=\(channels) c=\(channel) n=\(count) shift \(shift): at \(wrong.prefix(3))")
                            }
                        }
                    }
                }
            }
        }
    }
}
