/// The rank filter of large windows: Huang's running histogram over ordinal codes of a tile's samples (a band of
/// padded rows, or a column range of one), exact for every Float32 (issue 18).
///
/// **Codes.** A histogram needs a small integer per sample whose order is the samples' order. Each sample x maps to the
/// monotone key
///
///     b = bits(x) (bits(NaN) for every NaN),   key = b ⊕ 0xFFFF_FFFF if x's sign bit is set, else b ⊕ 0x8000_0000
///
/// (IEEE 754's totalOrder on the bit patterns: −∞ < … < −0 < +0 < … < +∞ < NaN, every NaN one value above +∞), and
/// an LSD radix sort of the tile's (key, position) pairs, three passes of 11, 11 and 10 bits (a pass whose digit is the
/// same for every key is skipped), turns the keys into codes 0 ..< D: code = the number of distinct keys below the
/// sample's key. So codes preserve the order exactly, ties share a code, and `values[code]` is the key's sample
/// (the key inverts bit for bit). For an 8-bit image D ≤ 256, for arbitrary floats D ≤ the tile's samples.
///
/// **Running histogram** (Huang, Yang and Tang 1979). Along an output row the window moves right by sW columns; in
/// each row run [a, a + len) of the element (``StructuringElement/runs(ofRow:)``), the samples leaving are
/// [a, a + min(sW, len)) and those entering [a + max(len, sW), a + len + sW), so a step costs 2·min(sW, len) histogram
/// updates per run, never more than recounting the window: one path for every stride. A square window of side k
/// costs 2k updates per output at stride 1, not k².
/// The histogram has one bin per code and, when the codes are sparse among the window's samples (D > 4 × taps, so the
/// answer may move by many codes a step), a coarse level of blocks of 2^s codes (2^s ≈ √D, at least 16). A tracker
/// keeps the current code m and below = #samples with code < m (each update adds [c < m] branch-free), so the answer,
/// the code m with below ≤ rank < below + fine[m], is reached from the previous one by whole coarse blocks and then
/// single bins (each a sample away in rank, for dense codes). At a row's end its last window is removed again, which empties the histogram, so
/// the next row starts from the previous row's m with no clearing.
struct RankHistogram {
    /// Coarse blocks of 2^shift codes.
    static func shift(distinct d: Int) -> Int {
        let bits = Int.bitWidth - max(1, d - 1).leadingZeroBitCount
        return max(4, (bits + 1) / 2)
    }

    /// Floats of scratch the coding and histogram of a tile of `samples` padded samples need beyond the samples
    /// themselves (whose floats the codes overwrite): the radix counts, two pair buffers of 8 bytes a sample (once
    /// coded, the spare one holds the values, the sorted one the histogram), alignment.
    static func workFloats(samples n: Int) -> Int { 4 * n + 3 * radixBuckets + 64 }

    static let radixBuckets = 2048

    /// The order-preserving key of a sample (every NaN is `Float.nan`'s key, the largest any sample has).
    @inline(__always)
    static func key(_ x: Float) -> UInt32 {
        let b = x.isNaN ? Float.nan.bitPattern : x.bitPattern
        return b ^ (UInt32(bitPattern: Int32(bitPattern: b) >> 31) | 0x8000_0000)
    }

    /// The sample whose key is `k`.
    @inline(__always)
    static func value(_ k: UInt32) -> Float {
        Float(bitPattern: k & 0x8000_0000 != 0 ? k & 0x7FFF_FFFF : ~k)
    }

    /// The rank-th sample (in the keys' order) of every window of the tile `band` (its padded samples are overwritten
    /// by their codes; its `work` holds ``workFloats(samples:)`` floats), the windows' taps at `runs` (the element's
    /// row runs as offsets from the window's top-left sample); output row i at `output + i·rowStride`.
    static func select(_ rank: Int, _ band: MaskedBand, runs: [(offset: Int, length: Int)], into output: UnsafeMutablePointer<Float>,
                       rowStride: Int) {
        let n = band.rows * band.rowLength
        precondition(n < Int(UInt32.max), "a band of \(n) samples is too large to code")
        let work = UnsafeMutableRawPointer(band.work).alignedUp(toMultipleOf: 8)
        let counts = work.bindMemory(to: Int32.self, capacity: 3 * radixBuckets)
        let pairsA = (work + 4 * 3 * radixBuckets).alignedUp(toMultipleOf: 8).bindMemory(to: UInt64.self, capacity: n)
        let pairsB = UnsafeMutableRawPointer(pairsA + n).bindMemory(to: UInt64.self, capacity: n)
        let sorted = sortKeys(band.padded, count: n, counts: counts, pairs: pairsA, spare: pairsB)
        let spare = sorted == pairsA ? pairsB : pairsA
        // Codes in place of the samples, values in the spare buffer, histograms in the sorted one once it is read.
        let codes = UnsafeMutableRawPointer(band.padded).bindMemory(to: UInt32.self, capacity: n)
        let values = UnsafeMutableRawPointer(spare).bindMemory(to: Float.self, capacity: 2 * n)
        var d = 0, previous: UInt64 = 0
        for i in 0..<n {
            let pair = sorted[i], k = pair >> 32
            if i == 0 || k != previous { values[d] = value(UInt32(truncatingIfNeeded: k)); d += 1; previous = k }
            codes[Int(UInt32(truncatingIfNeeded: pair))] = UInt32(truncatingIfNeeded: d - 1)
        }
        let s = shift(distinct: d), blocks = (d + (1 << s) - 1) >> s
        let fine = UnsafeMutableRawPointer(sorted).bindMemory(to: Int32.self, capacity: 2 * n)
        let coarse = fine + (blocks << s)
        precondition((blocks << s) + blocks <= 2 * n, "the histogram outgrows its scratch")
        fine.update(repeating: 0, count: (blocks << s) + blocks)
        let taps = runs.reduce(0) { $0 + $1.length }
        if d > 4 * taps {
            track(TwoLevels.self, rank, codes: codes, values: values, fine: fine, coarse: coarse, shift: s, band, runs: runs, into: output, rowStride: rowStride)
        } else {
            track(OneLevel.self, rank, codes: codes, values: values, fine: fine, coarse: coarse, shift: s, band, runs: runs, into: output, rowStride: rowStride)
        }
    }

    /// Sorts the keys of samples[0..<n] with their positions (key in the high half of each pair) by an LSD radix sort
    /// between `pairs` and `spare`; returns the buffer holding the result.
    static func sortKeys(_ samples: UnsafePointer<Float>, count n: Int, counts: UnsafeMutablePointer<Int32>,
                         pairs: UnsafeMutablePointer<UInt64>, spare: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<UInt64> {
        counts.update(repeating: 0, count: 3 * radixBuckets)
        let mask = UInt32(radixBuckets - 1)
        for i in 0..<n {
            let k = key(samples[i])
            pairs[i] = UInt64(k) << 32 | UInt64(i)
            counts[Int(k & mask)] &+= 1
            counts[radixBuckets + Int((k >> 11) & mask)] &+= 1
            counts[2 * radixBuckets + Int(k >> 22)] &+= 1
        }
        var source = pairs, target = spare
        for digit in 0..<3 {
            let count = counts + digit * radixBuckets, bit = UInt64(32 + 11 * digit)
            // A digit every key shares leaves the order as it is.
            if (0..<radixBuckets).contains(where: { count[$0] == Int32(n) }) { continue }
            var sum: Int32 = 0
            for b in 0..<radixBuckets { let c = count[b]; count[b] = sum; sum &+= c }
            for i in 0..<n {
                let pair = source[i], b = Int((pair >> bit) & UInt64(mask))
                target[Int(count[b])] = pair
                count[b] &+= 1
            }
            swap(&source, &target)
        }
        return source
    }

    /// Huang's running histogram over the codes, row by row of the tile.
    static func track<L: HistogramLevels>(_: L.Type, _ rank: Int, codes: UnsafePointer<UInt32>, values: UnsafePointer<Float>, fine: UnsafeMutablePointer<Int32>,
                      coarse: UnsafeMutablePointer<Int32>, shift s: Int, _ band: MaskedBand, runs: [(offset: Int, length: Int)],
                      into output: UnsafeMutablePointer<Float>, rowStride: Int) {
        let sW = band.stride.w, r = Int32(rank), block = 1 << s, low = block - 1
        var m = 0, below: Int32 = 0
        @inline(__always) func add(_ c: Int) {
            fine[c] &+= 1; if L.coarse { coarse[c >> s] &+= 1 }
            below &-= Int32(truncatingIfNeeded: (c &- m) >> 63)  // +1 when c < m
        }
        @inline(__always) func remove(_ c: Int) {
            fine[c] &-= 1; if L.coarse { coarse[c >> s] &-= 1 }
            below &+= Int32(truncatingIfNeeded: (c &- m) >> 63)
        }
        /// Moves m to the code holding the rank: below ≤ rank < below + fine[m].
        @inline(__always) func settle() {
            while below > r {
                if L.coarse, m & low == 0, below &- coarse[(m >> s) - 1] > r {
                    below &-= coarse[(m >> s) - 1]; m -= block
                } else {
                    m -= 1; below &-= fine[m]
                }
            }
            while below &+ fine[m] <= r {
                if L.coarse, m & low == 0, below &+ coarse[m >> s] <= r {
                    below &+= coarse[m >> s]; m += block
                } else {
                    below &+= fine[m]; m += 1
                }
            }
        }
        runs.withUnsafeBufferPointer { runs in
            for i in 0..<band.outputRows {
                let top = codes + i * band.stride.h * band.rowLength
                for run in runs { for t in 0..<run.length { add(Int(top[run.offset + t])) } }
                settle()
                let out = output + i * rowStride
                out[0] = values[m]
                var left = top
                for j in 1..<max(band.outputWidth, 1) {
                    if sW == 1 {
                        for run in runs {
                            remove(Int(left[run.offset])); add(Int(left[run.offset + run.length]))
                        }
                    } else {
                        for run in runs {
                            let leaving = left + run.offset, entering = leaving + max(run.length, sW)
                            for t in 0..<min(sW, run.length) { remove(Int(leaving[t])); add(Int(entering[t])) }
                        }
                    }
                    left += sW
                    settle()
                    out[j] = values[m]
                }
                for run in runs { for t in 0..<run.length { remove(Int(left[run.offset + t])) } }
            }
        }
    }
}

/// Whether ``RankHistogram`` keeps the coarse level: only when the codes are sparse among the window's samples
/// (D > 4 × taps), where the answer may move by many codes a step; otherwise single bins reach it sooner than the
/// coarse counts cost to keep.
protocol HistogramLevels { static var coarse: Bool { get } }
enum OneLevel: HistogramLevels { static var coarse: Bool { false } }
enum TwoLevels: HistogramLevels { static var coarse: Bool { true } }
