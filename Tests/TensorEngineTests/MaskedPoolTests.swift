@testable import TensorEngine
import TensorTestSupport
import Testing

/// ``maskedPool2d(_:parameters:)`` (issue 18) against the definition, computed the slow way: every output gathers its
/// window's samples through ``sourceIndex(_:size:mode:)`` (or skips the ignored ones) and sorts them.
@Suite struct MaskedPoolTests {
    /// The definition: y[i, j] = ⊕ over the element's taps of x̃[i·sH + ky − aH, j·sW + kx − aW].
    static func reference(_ x: Tensor, _ p: MaskedPool2dParameters) -> Tensor {
        let e = p.element, a = e.anchor
        let outH = (x.h - 1) / p.stride.h + 1, outW = (x.w - 1) / p.stride.w + 1
        var out = Tensor(shape: TensorShape(n: x.n, c: x.c, h: outH, w: outW))
        for n in 0..<x.n { for c in 0..<x.c { for i in 0..<outH { for j in 0..<outW {
            var values: [Float] = []
            for ky in 0..<e.rows { for kx in 0..<e.columns where e.mask[ky * e.columns + kx] {
                let y = i * p.stride.h + ky - a.h, xx = j * p.stride.w + kx - a.w
                if let mode = p.paddingMode {
                    if let sy = sourceIndex(y, size: x.h, mode: mode), let sx = sourceIndex(xx, size: x.w, mode: mode) {
                        values.append(x[n, c, sy, sx])
                    } else {
                        values.append(mode.constantValue!)
                    }
                } else if y >= 0, y < x.h, xx >= 0, xx < x.w {
                    values.append(x[n, c, y, xx])
                }
            } }
            let v: Float
            switch p.reduction {
            case .max: v = values.max() ?? -.infinity
            case .min: v = values.min() ?? .infinity
            // IEEE totalOrder with every NaN one value above +∞ (the rule of the histogram; the network's windows
            // in these tests hold no NaN, and its −0 and +0 compare equal).
            case .rank(let r): v = values.sorted { RankHistogram.key($0) < RankHistogram.key($1) }[r].canonicalNaN
            }
            out[n, c, i, j] = v
        } } } }
        return out
    }

    /// Values with many ties (k/7), as images have.
    static func input(_ shape: TensorShape, _ rng: inout SplitMix64) -> Tensor {
        Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(rng.below(8)) / 7 })
    }

    static func randomElement(_ rng: inout SplitMix64, maxSide: Int) throws -> StructuringElement {
        let size = Pair(h: 1 + rng.below(maxSide), w: 1 + rng.below(maxSide))
        switch rng.below(4) {
        case 0: return try StructuringElement(.square, size: size)
        case 1: return try StructuringElement(.cross, size: size)
        case 2: return try StructuringElement(.disk, size: size)
        default:
            var mask = (0..<(size.h * size.w)).map { _ in rng.below(2) == 1 }
            mask[rng.below(mask.count)] = true
            return try StructuringElement(rows: size.h, columns: size.w, mask: mask)
        }
    }

    static let modes: [PaddingMode?] = [nil, .replicate, .reflect, .symmetric, .circular, .zeros, .constant(0.5)]

    @Test(arguments: 0..<120)
    func randomCasesEqualTheDefinition(_ seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let shape = TensorShape(n: 1, c: 1 + rng.below(2), h: 1 + rng.below(13), w: 1 + rng.below(40))
        let x = Self.input(shape, &rng)
        // Large elements now and then, so that van Herk's blocks and the histogram run.
        let e = try Self.randomElement(&rng, maxSide: seed % 10 == 0 ? 19 : 7)
        let reduction: WindowReduction = switch rng.below(3) {
        case 0: .max
        case 1: .min
        default: .rank(rng.below(e.count))
        }
        var mode = Self.modes[rng.below(Self.modes.count)]
        if case .rank = reduction, mode == nil { mode = .replicate }
        let p = MaskedPool2dParameters(element: e, reduction: reduction, stride: Pair(h: 1 + rng.below(3), w: 1 + rng.below(3)), paddingMode: mode)
        let whole = try maskedPool2d(x, parameters: p)
        let expected = Self.reference(x, p)
        #expect(whole == expected, "seed \(seed): \(e.rows)×\(e.columns) [\(e)] \(reduction) \(String(describing: mode)) stride \(p.stride) on \(shape)")
        // Any output rows from the rows they declare give the same values.
        let first = rng.below(whole.h), count = 1 + rng.below(whole.h - first)
        let rows = first ..< first + count
        let needed = try p.inputRows(for: rows, input: shape)
        let window = RowWindow.scattered(x, rows: needed, rng: &rng)
        #expect(try maskedPool2d(window, parameters: p, rows: rows) == whole.rowsOfPlanes(rows), "seed \(seed): rows \(rows)")
    }

    @Test func largeSquaresRunVanHerkExactly() throws {
        var rng = SplitMix64(seed: 51)
        let values: [Float] = (0..<6300).map { _ in Float(rng.below(1000)) / 999 }
        let x = Tensor(shape: TensorShape(n: 1, c: 1, h: 70, w: 90), storage: values)
        for size in [9, 16, 17, 51] {
            for reduction in [WindowReduction.max, .min] {
                let p = MaskedPool2dParameters(element: try StructuringElement(.square, size: Pair(size)), reduction: reduction)
                #expect(try maskedPool2d(x, parameters: p) == Self.reference(x, p), "\(size) \(reduction)")
            }
        }
    }

    @Test func dilationByASquareIsMaxPoolingAtStrideOne() throws {
        var rng = SplitMix64(seed: 3)
        let count = 2 * 3 * 11 * 17
        let values: [Float] = (0..<count).map { _ in Float(rng.below(1 << 20)) / Float(1 << 20) }
        let x = Tensor(shape: TensorShape(n: 2, c: 3, h: 11, w: 17), storage: values)
        for k in [1, 3, 5] {
            let dilated = try maskedPool2d(x, parameters: MaskedPool2dParameters(element: try StructuringElement(.square, size: Pair(k)), reduction: .max))
            let pooled = try maxPool2d(x, parameters: MaxPool2dParameters(kernel: Pair(k), stride: Pair(1), padding: Pair(k / 2))).output
            #expect(dilated == pooled)
        }
    }

    @Test(arguments: [1, 2, 3, 5, 8, 9, 16, 21, 25, 33, 49, 64, 81])
    func theSelectionNetworkSelectsEveryRank(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        for rank in 0..<n {
            let network = SelectionNetwork(wires: n, selecting: rank)
            for _ in 0..<40 {
                var values = (0..<n).map { _ in Float(rng.below(6)) }
                let expected = values.sorted()[rank]
                #expect(network.select(&values) == expected, "n \(n) rank \(rank)")
            }
        }
        #expect(SelectionNetwork.batcher(n).allSatisfy { $0.0 < $0.1 && $0.1 < n })
    }

    /// The sample families the histogram's codes must order exactly.
    enum Family: CaseIterable {
        /// Any 32-bit pattern: subnormals, huge values, ±0, ±∞ and NaNs with payloads, all distinct.
        case bits
        /// k/255, as 8-bit images give.
        case eightBit
        /// Three values, so that most windows tie at their rank.
        case ties
        /// ±0, ±∞, ±1 and NaN (of both signs, with payloads).
        case specials

        func sample(_ rng: inout SplitMix64) -> Float {
            switch self {
            case .bits: return Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            case .eightBit: return Float(rng.below(256)) / 255
            case .ties: return Float(rng.below(3)) - 1
            case .specials:
                let v: [Float] = [0, -0, .infinity, -.infinity, 1, -1, .nan, -.nan, Float(bitPattern: 0x7FA0_0001), Float(bitPattern: 0xFFC0_1234)]
                return v[rng.below(v.count)]
            }
        }
    }

    /// A rank filter above the network's taps, by Huang's histogram over the tile's codes, is the rank-th sample in
    /// IEEE totalOrder (NaN above +∞, given as `Float.nan`), bit for bit, for every family of values, every element
    /// shape, odd and even sizes, strides (also wider than the element's runs), every padding mode a rank takes, and
    /// does not depend on how the outputs are cut into tiles (of any width), bands or strips.
    @Test(arguments: 0..<80)
    func largeRanksAreExactOnEveryFloat(_ seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 17)
        let family = Family.allCases[seed % Family.allCases.count]
        var e = try Self.randomElement(&rng, maxSide: 12)
        while e.count <= maskedPoolNetworkLimit { e = try Self.randomElement(&rng, maxSide: 12) }
        let shape = TensorShape(n: 1, c: 1 + rng.below(2), h: 1 + rng.below(45), w: 1 + rng.below(60))
        let x = Tensor(shape: shape, storage: (0..<shape.count).map { _ in family.sample(&rng) })
        let modes: [PaddingMode] = [.replicate, .reflect, .symmetric, .circular, .zeros, .constant(-.infinity), .constant(.nan), .constant(0.5)]
        let mode = modes[rng.below(modes.count)]
        let stride = Pair(h: 1 + rng.below(3), w: rng.below(4) == 0 ? 1 + rng.below(15) : 1 + rng.below(3))
        let rank = [0, e.count / 2, e.count - 1, rng.below(e.count)][rng.below(4)]
        let p = MaskedPool2dParameters(element: e, reduction: .rank(rank), stride: stride, paddingMode: mode)
        let label = "seed \(seed) \(family): \(e.rows)×\(e.columns) (\(e.count) taps) rank \(rank) \(mode) stride \(stride) on \(shape)"
        let whole = try maskedPool2d(x, parameters: p)
        let expected = Self.reference(x, p)
        #expect(whole.bitPatterns == expected.bitPatterns, "\(label)")
        // Tiles of a few columns, bands and strips: the same bits.
        let tiny = try maskedPool2d(RowWindow(whole: x), parameters: p, rows: nil, rankTileSamples: 1 + rng.below(400))
        #expect(tiny.bitPatterns == expected.bitPatterns, "\(label): small tiles")
        let first = rng.below(whole.h), count = 1 + rng.below(whole.h - first)
        let rows = first ..< first + count
        let needed = try p.inputRows(for: rows, input: shape)
        let window = RowWindow.scattered(x, rows: needed, rng: &rng)
        #expect(try maskedPool2d(window, parameters: p, rows: rows).bitPatterns == expected.rowsOfPlanes(rows).bitPatterns, "\(label): rows \(rows)")
    }

    /// The codes' key orders floats as IEEE totalOrder (−∞ < … < −0 < +0 < … < +∞), puts every NaN above +∞ and
    /// inverts bit for bit.
    @Test func theKeyIsTotalOrder() {
        let ordered: [Float] = [-.infinity, -.greatestFiniteMagnitude, -1, -.leastNormalMagnitude, -.leastNonzeroMagnitude, -0.0,
                                0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1, .greatestFiniteMagnitude, .infinity, .nan]
        for (a, b) in zip(ordered, ordered.dropFirst()) { #expect(RankHistogram.key(a) < RankHistogram.key(b), "\(a) < \(b)") }
        for v in ordered + [-.nan, Float(bitPattern: 0x7FA0_0001)] {
            #expect(RankHistogram.value(RankHistogram.key(v)).bitPattern == v.canonicalNaN.bitPattern)
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<10_000 {
            let a = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())), b = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard !a.isNaN, !b.isNaN else { continue }
            #expect((RankHistogram.key(a) < RankHistogram.key(b)) == a.isTotallyOrdered(belowOrEqualTo: b) && a.bitPattern != b.bitPattern)
        }
    }

    /// OpenCV's getStructuringElement(MORPH_ELLIPSE, …) and MORPH_CROSS for a few sizes (printed by cv2 4.6).
    @Test func shapesAreOpenCVs() throws {
        #expect(try StructuringElement(.disk, size: Pair(5)).description == "0 0 1 0 0; 1 1 1 1 1; 1 1 1 1 1; 1 1 1 1 1; 0 0 1 0 0")
        #expect(try StructuringElement(.disk, size: Pair(3)).description == "0 1 0; 1 1 1; 0 1 0")
        #expect(try StructuringElement(.disk, size: Pair(h: 3, w: 5)).description == "0 0 1 0 0; 1 1 1 1 1; 0 0 1 0 0")
        #expect(try StructuringElement(.cross, size: Pair(h: 3, w: 4)).description == "0 0 1 0; 1 1 1 1; 0 0 1 0")
        #expect(try StructuringElement(.square, size: Pair(h: 2, w: 3)).isRectangle)
    }

    @Test func badParametersAreRefused() throws {
        let e = try StructuringElement(.square, size: Pair(3))
        let x = Tensor(shape: TensorShape(n: 1, c: 1, h: 4, w: 4))
        #expect(throws: EngineError.self) { try maskedPool2d(x, parameters: MaskedPool2dParameters(element: e, reduction: .rank(9), paddingMode: .replicate)) }
        #expect(throws: EngineError.self) { try maskedPool2d(x, parameters: MaskedPool2dParameters(element: e, reduction: .rank(4))) }
        #expect(throws: EngineError.self) { try maskedPool2d(x, parameters: MaskedPool2dParameters(element: e, reduction: .max, stride: Pair(0))) }
        #expect(throws: EngineError.self) { try StructuringElement(rows: 2, columns: 2, mask: [false, false, false, false]) }
        #expect(throws: EngineError.self) { try StructuringElement(.disk, size: Pair(0)) }
        let empty = Tensor(shape: TensorShape(n: 1, c: 1, h: 0, w: 4))
        #expect(throws: EngineError.self) { try maskedPool2d(empty, parameters: MaskedPool2dParameters(element: e, reduction: .max)) }
    }
}

extension Float {
    /// Every NaN as `Float.nan`.
    var canonicalNaN: Float { isNaN ? .nan : self }
}

extension Tensor {
    /// Every sample's bits (so −0 ≠ +0 and a NaN equals itself).
    var bitPatterns: [UInt32] { storage.map(\.bitPattern) }

    /// Rows `range` of every plane.
    func rowsOfPlanes(_ range: Range<Int>) -> Tensor {
        var out = Tensor(shape: TensorShape(n: n, c: c, h: range.count, w: w))
        for n in 0..<n { for c in 0..<c { for (k, y) in range.enumerated() { for x in 0..<w { out[n, c, k, x] = self[n, c, y, x] } } } }
        return out
    }
}
