import Testing
import TensorEngine
import TensorTestSupport

/// Max and average pooling on the sliding-window core against PyTorch's definitions written out here the slow way
/// (one scalar scan per output, as `max_pool2d`'s and `avg_pool2d`'s CPU kernels run), on seeded random cases over
/// every option: kernel, stride, padding, dilation, ceil mode, indices, `countIncludePad`, `divisorOverride` and every
/// padding mode, on data with ties, ±0, ±∞ and NaN. Invariants: the core and the definition refuse the same cases,
/// and otherwise agree bit for bit (values, the sign of zero, NaN positions and every index); and the rows of any
/// split into calls are those of the whole call.
@Suite struct PoolingDefinitionTests {
    static let modes: [PaddingMode?] = [nil, .zeros, .reflect, .replicate, .circular, .symmetric, .constant(0.5), .constant(-.infinity)]

    /// One random case: the input and the window's options.
    struct Case: CustomStringConvertible {
        var input: Tensor
        var kernel: Pair, stride: Pair, padding: Pair, dilation: Pair
        var ceilMode: Bool, mode: PaddingMode?
        var description: String {
            "\(input.shape) kernel \(kernel) stride \(stride) padding \(padding) dilation \(dilation) ceil \(ceilMode) mode \(mode.map { "\($0)" } ?? "none")"
        }

        init(_ rng: inout SplitMix64, large: Bool) {
            let side = large ? 70 : 20, k = large ? 12 : 6
            let shape = TensorShape(n: 1, c: Int.random(in: 1...2, using: &rng), h: Int.random(in: 1...side, using: &rng), w: Int.random(in: 1...side, using: &rng))
            let specials: [Float] = [0, -0, 1, 2, -.infinity, .infinity, .nan]
            let kind = Int.random(in: 0..<3, using: &rng)
            input = Tensor(shape: shape, storage: (0..<shape.count).map { _ in
                switch kind {
                case 0: Float.random(in: -1...1, using: &rng)
                case 1: Float(Int.random(in: 0...2, using: &rng))
                default: specials.randomElement(using: &rng)!
                }
            })
            kernel = Pair(h: Int.random(in: 1...k, using: &rng), w: Int.random(in: 1...k, using: &rng))
            stride = Pair(h: Int.random(in: 1...4, using: &rng), w: Int.random(in: 1...4, using: &rng))
            padding = Bool.random(using: &rng) ? Pair(h: Int.random(in: 0...kernel.h / 2, using: &rng), w: Int.random(in: 0...kernel.w / 2, using: &rng)) : Pair(0)
            dilation = Int.random(in: 0..<3, using: &rng) == 0 ? Pair(h: Int.random(in: 1...3, using: &rng), w: Int.random(in: 1...3, using: &rng)) : Pair(1)
            ceilMode = Int.random(in: 0..<3, using: &rng) == 0
            mode = Int.random(in: 0..<3, using: &rng) == 0 ? PoolingDefinitionTests.modes.randomElement(using: &rng)! : nil
        }
    }

    @Test(arguments: [false, true])
    func maxPoolingIsTheDefinition(large: Bool) throws {
        var rng = SplitMix64(state: large ? 91 : 19)
        var compared = 0
        for _ in 0..<(large ? 150 : 400) {
            let c = Case(&rng, large: large)
            let p = MaxPool2dParameters(kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation,
                                        ceilMode: c.ceilMode, returnIndices: true, paddingMode: c.mode)
            guard let g = try? Pool2dGeometry(input: c.input.shape, kernel: c.kernel, stride: c.stride, padding: c.padding,
                                              dilation: c.dilation, ceilMode: c.ceilMode, paddingMode: c.mode) else {
                #expect(throws: EngineError.self, "\(c)") { try maxPool2d(c.input, parameters: p) }
                continue
            }
            let (expected, expectedIndices) = Self.maxDefinition(c, g)
            let result = try maxPool2d(c.input, parameters: p)
            #expect(Self.bits(result.output) == Self.bits(expected), "\(c)")
            #expect(result.indices == expectedIndices, "\(c)")
            var plain = p
            plain.returnIndices = false
            #expect(Self.bits(try maxPool2d(c.input, parameters: plain).output) == Self.bits(expected), "without indices: \(c)")
            try Self.expectSplitsAgree(c.input, g, c.mode) { try maxPool2d($0, parameters: plain, rows: $1).output }
            compared += 1
        }
        #expect(compared > (large ? 90 : 250), "too few cases were valid: \(compared)")
    }

    @Test(arguments: [false, true])
    func averagePoolingIsTheDefinition(large: Bool) throws {
        var rng = SplitMix64(state: large ? 57 : 75)
        var compared = 0
        for _ in 0..<(large ? 150 : 400) {
            var c = Case(&rng, large: large)
            c.dilation = Pair(1)
            let countIncludePad = c.mode != nil || Bool.random(using: &rng)
            let divisor: Int? = Int.random(in: 0..<5, using: &rng) == 0 ? Int.random(in: 1...7, using: &rng) : nil
            let p = AvgPool2dParameters(kernel: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode,
                                        countIncludePad: countIncludePad, divisorOverride: divisor, paddingMode: c.mode)
            guard let g = try? Pool2dGeometry(input: c.input.shape, kernel: c.kernel, stride: c.stride, padding: c.padding,
                                              dilation: Pair(1), ceilMode: c.ceilMode, paddingMode: p.readingMode) else {
                #expect(throws: EngineError.self, "\(c)") { try avgPool2d(c.input, parameters: p) }
                continue
            }
            let expected = Self.averageDefinition(c, g, p)
            #expect(Self.bits(try avgPool2d(c.input, parameters: p)) == Self.bits(expected), "\(c) countIncludePad \(countIncludePad) divisor \(String(describing: divisor))")
            try Self.expectSplitsAgree(c.input, g, p.readingMode) { try avgPool2d($0, parameters: p, rows: $1) }
            compared += 1
        }
        #expect(compared > (large ? 90 : 250), "too few cases were valid: \(compared)")
    }

    /// The bit patterns, with every NaN as one pattern (which NaN a max propagates is not part of the contract).
    static func bits(_ t: Tensor) -> [UInt32] { t.storage.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern } }

    /// Output rows computed in two calls on row windows (each holding only the input rows its outputs read, in pieces
    /// as strips hand them over) equal the whole call's.
    static func expectSplitsAgree(_ input: Tensor, _ g: Pool2dGeometry, _ mode: PaddingMode?,
                                  _ run: (RowWindow, Range<Int>) throws -> Tensor) throws {
        let whole = try run(RowWindow(whole: input), 0..<g.output.h)
        var rng = SplitMix64(seed: UInt64(input.shape.count))
        for cut in Set([g.output.h / 3, g.output.h / 2]) where cut > 0 {
            var parts: [Float] = []
            for rows in [0..<cut, cut..<g.output.h] {
                let needed = g.inputRows(for: rows, mode: mode)
                let window = RowWindow.scattered(input, rows: needed, rng: &rng)
                parts.append(contentsOf: try run(window, rows).storage)
            }
            // Parts hold rows plane by plane within each part: reorder the whole call's the same way.
            let planes = g.output.n * g.output.c, w = g.output.w, h = g.output.h
            var reordered: [Float] = []
            for rows in [0..<cut, cut..<h] {
                for plane in 0..<planes {
                    let start: Int = (plane * h + rows.lowerBound) * w, end: Int = (plane * h + rows.upperBound) * w
                    reordered.append(contentsOf: whole.storage[start..<end])
                }
            }
            let partBits: [UInt32] = parts.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern }
            let wholeBits: [UInt32] = reordered.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern }
            #expect(partBits == wholeBits, "split at \(cut)")
        }
    }

    /// Where padded position `p` of an axis of `size` reads: an input index, or nil for a constant (or −∞ padding).
    static func source(_ p: Int, _ size: Int, _ mode: PaddingMode?) -> Int? {
        guard let mode else { return p >= 0 && p < size ? p : nil }
        switch mode {
        case .zeros, .constant: return p >= 0 && p < size ? p : nil
        case .replicate: return min(max(p, 0), size - 1)
        case .circular: return ((p % size) + size) % size
        case .reflect:
            if size == 1 { return 0 }
            let period = 2 * (size - 1)
            let q = ((p % period) + period) % period
            return q < size ? q : period - q
        case .symmetric:
            let period = 2 * size
            let q = ((p % period) + period) % period
            return q < size ? q : period - 1 - q
        }
    }

    /// `max_pool2d` as PyTorch's CPU kernel scans it; with a padding mode, every tap reads through the mode.
    static func maxDefinition(_ c: Case, _ g: Pool2dGeometry) -> (Tensor, [Int64]) {
        var out = Tensor(shape: g.output)
        var indices: [Int64] = []
        let (h, w) = (c.input.h, c.input.w)
        for n in 0..<g.output.n {
            for ch in 0..<g.output.c {
                for i in 0..<g.output.h {
                    for j in 0..<g.output.w {
                        let top = i * g.stride.h - g.padding.h, left = j * g.stride.w - g.padding.w
                        var best = -Float.infinity, index = -1, first = true
                        if c.mode == nil {
                            var y0 = top, x0 = left
                            while y0 < 0 { y0 += g.dilation.h }
                            while x0 < 0 { x0 += g.dilation.w }
                            index = y0 * w + x0
                        }
                        for ky in 0..<g.kernel.h {
                            for kx in 0..<g.kernel.w {
                                let y = top + ky * g.dilation.h, x = left + kx * g.dilation.w
                                let sy = source(y, h, c.mode), sx = source(x, w, c.mode)
                                let value: Float, at: Int
                                if let sy, let sx { value = c.input[n, ch, sy, sx]; at = sy * w + sx }
                                else if c.mode == nil { continue }
                                else { value = c.mode!.constantValue ?? 0; at = -1 }
                                if first && c.mode != nil { index = at; first = false }
                                if value > best || value.isNaN { best = value; index = at }
                            }
                        }
                        out[n, ch, i, j] = best
                        indices.append(Int64(index))
                    }
                }
            }
        }
        return (out, indices)
    }

    /// `avg_pool2d` as PyTorch's CPU kernel sums it: from 0, row by row over the window cut at the far padding edge
    /// (and, with zero padding, clipped to the input), then divided.
    static func averageDefinition(_ c: Case, _ g: Pool2dGeometry, _ p: AvgPool2dParameters) -> Tensor {
        var out = Tensor(shape: g.output)
        let (h, w) = (c.input.h, c.input.w), mode = p.readingMode
        for n in 0..<g.output.n {
            for ch in 0..<g.output.c {
                for i in 0..<g.output.h {
                    for j in 0..<g.output.w {
                        let top = i * g.stride.h - g.padding.h, left = j * g.stride.w - g.padding.w
                        let bottom = min(top + g.kernel.h, h + g.padding.h), right = min(left + g.kernel.w, w + g.padding.w)
                        let poolSize = (bottom - top) * (right - left)
                        var sum: Float = 0
                        let divisor: Int
                        if let mode {
                            for y in top..<bottom {
                                for x in left..<right {
                                    if let sy = source(y, h, mode), let sx = source(x, w, mode) { sum += c.input[n, ch, sy, sx] }
                                    else { sum += mode.constantValue ?? 0 }
                                }
                            }
                            divisor = p.divisorOverride ?? poolSize
                        } else {
                            let y0 = max(top, 0), y1 = min(bottom, h), x0 = max(left, 0), x1 = min(right, w)
                            guard y0 < y1, x0 < x1 else { out[n, ch, i, j] = 0; continue }
                            for y in y0..<y1 { for x in x0..<x1 { sum += c.input[n, ch, y, x] } }
                            divisor = p.divisorOverride ?? (p.countIncludePad ? poolSize : (y1 - y0) * (x1 - x0))
                        }
                        out[n, ch, i, j] = sum / Float(divisor)
                    }
                }
            }
        }
        return out
    }
}
