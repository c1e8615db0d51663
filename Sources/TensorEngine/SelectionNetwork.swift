/// A comparator network that puts the rank-th smallest of its wires' values on wire `rank`: Batcher's odd–even
/// merge sort for `wires` inputs (Knuth, TAOCP 5.3.4; the form for any n, whose comparators on wires ≥ n are
/// dropped), pruned backwards to the comparators wire `rank` depends on, and each of those to the output (min,
/// max or both) that a later kept comparator or the result reads. Every comparator orders its two wires only
/// when b < a, so the network permutes values and its result is always one of its inputs.
struct SelectionNetwork: Sendable {
    /// Comparators in order: wires i < j and which results are used.
    struct Comparator: Sendable {
        let low: Int32
        let high: Int32
        let keepsLow: Bool
        let keepsHigh: Bool
    }

    let wires: Int
    let rank: Int
    let comparators: [Comparator]

    init(wires n: Int, selecting rank: Int) {
        precondition(n >= 1 && rank >= 0 && rank < n)
        wires = n
        self.rank = rank
        let sorting = SelectionNetwork.batcher(n)
        var needed = [Bool](repeating: false, count: n)
        needed[rank] = true
        var kept: [Comparator] = []
        for (i, j) in sorting.reversed() {
            let keepsLow = needed[i], keepsHigh = needed[j]
            guard keepsLow || keepsHigh else { continue }
            kept.append(Comparator(low: Int32(i), high: Int32(j), keepsLow: keepsLow, keepsHigh: keepsHigh))
            needed[i] = true
            needed[j] = true
        }
        comparators = kept.reversed()
    }

    /// Batcher's odd–even merge sort: the comparator pairs (i, j), i < j, that sort n wires ascending.
    static func batcher(_ n: Int) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        var p = 1
        while p < n {
            var k = p
            while k >= 1 {
                var j = k % p
                while j + k < n {
                    for i in 0 ..< Swift.min(k, n - j - k) where (i + j) / (2 * p) == (i + j + k) / (2 * p) {
                        pairs.append((i + j, i + j + k))
                    }
                    j += 2 * k
                }
                k /= 2
            }
            p *= 2
        }
        return pairs
    }

    /// The rank-th smallest of each lane of `values` (`wires` vectors, reordered in place).
    @inline(__always)
    func select(_ values: UnsafeMutablePointer<SIMD8<Float>>) -> SIMD8<Float> {
        comparators.withUnsafeBufferPointer { network in
            for c in network {
                let a = values[Int(c.low)], b = values[Int(c.high)]
                let swap = b .< a
                if c.keepsLow { values[Int(c.low)] = a.replacing(with: b, where: swap) }
                if c.keepsHigh { values[Int(c.high)] = b.replacing(with: a, where: swap) }
            }
        }
        return values[rank]
    }

    /// The same on one value per wire (tests).
    func select(_ values: inout [Float]) -> Float {
        for c in comparators {
            let a = values[Int(c.low)], b = values[Int(c.high)]
            if b < a {
                if c.keepsLow { values[Int(c.low)] = b }
                if c.keepsHigh { values[Int(c.high)] = a }
            }
        }
        return values[rank]
    }
}
