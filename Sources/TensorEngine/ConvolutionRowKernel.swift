import CKernels
import Locking

/// The inner loops of convolution, in ``CKernels`` (compiled for every x86-64 vector width and chosen at run time,
/// see ``VectorLevel``). Every level computes each output with the same operations in the same order, without
/// fused multiply-adds, so every level gives the same bits; the one exception is the dense matrix product
/// (``convolveGEMM(_:rowStep:rows:offsets:taps:packed:bias:channels:into:rowStride:channelStride:width:)``).
///
/// One output row as a weighted sum of shifted rows,
///
///     out[j] = bias + Σ_t weights[t] · row[offsets[t] + j]    for j in 0..<width
///
/// where `row` points into a band scratch of ``ConvolutionBands`` (so no index is ever out of bounds, and strides
/// were turned into unit steps when the scratch was filled) and each tap t is one (input channel, ky, kx) with its
/// offset precomputed. With `streaming`, `out` is written with streaming stores (see ``isStreamingOutput(count:)``);
/// the values are the same either way.
@inline(__always)
func convolveRow(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    bias: Float, into out: UnsafeMutablePointer<Float>, width: Int, streaming: Bool = false
) {
    ck_convolve_row(row, offsets, weights, taps, bias, out, width, streaming ? 1 : 0)
}

/// Whether an output of `count` Floats is written with streaming (non-temporal) stores: at least three quarters of
/// the last-level cache's share per core, as glibc's memcpy decides for its copies. An output that large leaves the
/// caches before anyone reads it, and an ordinary store first reads each of its lines from memory, then writes it
/// back: twice the output's traffic, where a streaming store writes it once. The strips of the row model are far
/// smaller where the cache is large (here the threshold is 99 MB; a 32-row strip of the 12 MP photo is 1.5 MB), so
/// the next stage reads them from the cache.
@inline(__always)
func isStreamingOutput(count: Int) -> Bool {
    count * MemoryLayout<Float>.size >= streamingBytes
}

private let streamingBytes = ck_streaming_bytes()

/// Dense convolution of `rows` output rows of `channels` output channels, as a matrix product:
///
///     out[o·channelStride + i·rowStride + j] = bias[o] + Σ_t packed[8·(⌊o/8⌋·taps + t) + o mod 8] · source[i·rowStep + offsets[t] + j]
///
/// summed in tap order from the bias. `packed` holds the weights in blocks of eight channels, tap-major. This is the
/// one kernel whose result depends on the level: AVX2 and AVX-512 fuse each multiply-add (one rounding instead of
/// two), so they agree with each other bit for bit and with the baseline within rounding (see ``VectorLevel``).
@inline(__always)
func convolveGEMM(
    _ source: UnsafePointer<Float>, rowStep: Int, rows: Int, offsets: UnsafePointer<Int>, taps: Int,
    packed: UnsafePointer<Float>, bias: UnsafePointer<Float>, channels: Int,
    into out: UnsafeMutablePointer<Float>, rowStride: Int, channelStride: Int, width: Int
) {
    ck_convolve_gemm(source, rowStep, rows, offsets, taps, packed, bias, channels, out, rowStride, channelStride, width)
}

/// The column pass of a tall kernel, row by row instead of tap by tap:
///
///     out[x] = Σ_t weights[t] · (row + t·rowStride)[x]    for x in 0..<width
///
/// accumulated four input rows at a time, each read front to back: reading 61 rows at once per output vector
/// (σ = 10) misses L1 on every load and defeats the prefetcher; streaming them does not.
@inline(__always)
func accumulateRows(_ row: UnsafePointer<Float>, rowStride: Int, weights: UnsafePointer<Float>, taps: Int,
                    into out: UnsafeMutablePointer<Float>, width: Int) {
    ck_accumulate_rows(row, rowStride, weights, taps, out, width)
}

/// ``convolveRow(_:offsets:weights:taps:bias:into:width:)`` for weights that read the same from both ends
/// (`weights[t] == weights[taps − 1 − t]`, as a Gaussian's do), adding each mirrored pair of samples first:
///
///     out[j] = bias + Σ_{t < taps/2} weights[t] · (row[offsets[t] + j] + row[offsets[taps − 1 − t] + j])
///                   + (taps odd ? weights[m] · row[offsets[m] + j] : 0),    m = taps / 2
///
/// ⌈taps/2⌉ multiplications per output instead of taps; the sums differ from the unpaired ones by rounding only.
/// `streaming` as for ``convolveRow(_:offsets:weights:taps:bias:into:width:streaming:)``.
@inline(__always)
func convolveSymmetricRow(
    _ row: UnsafePointer<Float>, offsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, taps: Int,
    bias: Float, into out: UnsafeMutablePointer<Float>, width: Int, streaming: Bool = false
) {
    ck_convolve_symmetric_row(row, offsets, weights, taps, bias, out, width, streaming ? 1 : 0)
}

/// Whether `weights` read the same from both ends, so that ``convolveSymmetricRow(_:offsets:weights:taps:bias:into:width:)`` applies.
@inlinable
func isSymmetric(_ weights: [Float]) -> Bool {
    weights.count > 2 && (0..<weights.count / 2).allSatisfy { weights[$0] == weights[weights.count - 1 - $0] }
}

/// The vector width the engine's inner loops run at: the widest the CPU has, unless `IMGCONV_CPU`
/// (`sse2`, `avx2`, `avx512`) asks for a narrower one. Every level gives the same bits, except dense convolution
/// (groups with several output channels), where AVX2 and AVX-512 fuse multiply-adds: there they agree with each
/// other and differ from the baseline by rounding only.
public enum VectorLevel {
    /// The level in use, e.g. `avx512`.
    public static var current: String { name(ck_level()) }
    /// Every level this CPU can run, narrowest first.
    public static var supported: [String] { (0...ck_supported_level()).map(name) }
    private static func name(_ level: Int32) -> String { String(validatingCString: ck_level_name(level)) ?? "level \(level)" }

    /// Runs `body` at level `name` (one of ``supported``), then goes back to the level before. For tests.
    /// One `with` at a time in the process (tests of different suites run in parallel, and the level is global):
    /// a second one waits until the first returns, so each body runs at the level it asked for. Not nestable.
    public static func with<R, E: Error>(_ name: String, _ body: () throws(E) -> R) throws(E) -> R {
        try serial.withLock { _ throws(E) in
            let before = ck_level()
            let index = supported.firstIndex(of: name) ?? Int(before)
            ck_set_level(Int32(index))
            defer { ck_set_level(before) }
            return try body()
        }
    }

    private static let serial = Lock(())
}
