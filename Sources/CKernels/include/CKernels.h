// The engine's hot inner loops, compiled for several x86-64 vector widths in one binary and chosen at run time
// (the second place C is allowed; see README "Speed"). No flags in Package.swift: each variant carries its own
// `target` attribute, and the dispatcher picks the widest the CPU has (`__builtin_cpu_supports`), or the level
// IMGCONV_CPU names (sse2, avx2, avx512), never one the CPU lacks. On other architectures there is one level.
//
// Every variant computes each output value with the same operations in the same order, and floating-point
// contraction is off, so all levels give the same bits, and the same bits as the scalar loop; the one exception is
// ck_convolve_gemm, which uses fused multiply-adds where the level has them (see there). The 8-bit pixel conversions
// (ck_spread8, ck_pack8) give the same floats and bytes at every level: the compiler's generic 8-lane vectors at the
// baseline, hand-written shuffles at AVX2 (pshufb, packs, cross-lane permutes) and AVX-512F (32-bit permutes and
// variable shifts, no AVX-512BW byte instructions needed).
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Levels: 0 the baseline (SSE2 on x86-64; NEON on arm64), 1 AVX2 with FMA, 2 AVX-512F.
int ck_level(void);
/// The widest level this CPU supports.
int ck_supported_level(void);
/// Chooses `level` (clamped to what the CPU supports); returns the level now active. For tests and IMGCONV_CPU.
int ck_set_level(int level);
/// "sse2", "avx2", "avx512" (or "neon", "scalar" elsewhere).
const char *ck_level_name(int level);

/// Outputs of at least this many bytes are written with streaming stores (the `stream` argument of the row kernels):
/// three quarters of the last-level cache's share per core, the rule glibc's memcpy follows for its copies (an
/// output that large leaves the caches before it is read, so reading its lines in before writing them is wasted
/// traffic). 8 MiB where the cache size is unknown.
ptrdiff_t ck_streaming_bytes(void);

/// out[j] = bias + Σ_t weights[t] · row[offsets[t] + j], j < width (taps in order t = 0, 1, …). With `stream` nonzero,
/// `out` is written with streaming stores where it is 64-byte aligned (see ck_streaming_bytes), fenced before the
/// return; the values are the same either way.
void ck_convolve_row(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps, float bias,
                     float *out, ptrdiff_t width, int stream);
/// Dense convolution of a band as a matrix product (implicit GEMM: the "im2col" matrix is never made, each of its
/// rows is the band scratch shifted by a tap's offset). For channels o < `channels`, rows i < `rows`, j < `width`:
///
///     out[o·channel_stride + i·out_row_stride + j] = bias[o] + Σ_t packed[8·(⌊o/8⌋·taps + t) + o mod 8] · source[i·row_step + offsets[t] + j]
///
/// summed in tap order t = 0, 1, … from the bias, with one rounding per product and sum at the baseline level and a
/// fused multiply-add (one rounding) at AVX2 and AVX-512, so those two give the same bits and differ from the
/// baseline by rounding only. `packed` holds the weights in blocks of 8 channels, tap-major (zeros past `channels`).
/// Register tiles: 8 channels × 32 columns at AVX-512, 4 × 16 at AVX2, 4 × 8 at the baseline.
void ck_convolve_gemm(const float *source, ptrdiff_t row_step, ptrdiff_t rows, const ptrdiff_t *offsets, ptrdiff_t taps,
                      const float *packed, const float *bias, ptrdiff_t channels, float *out, ptrdiff_t out_row_stride,
                      ptrdiff_t channel_stride, ptrdiff_t width);
/// Mirrored weights (weights[t] == weights[taps − 1 − t]): out[j] = bias (+ weights[m] · row[offsets[m] + j] for odd
/// taps, m = taps/2) + Σ_{t < taps/2} weights[t] · (row[offsets[t] + j] + row[offsets[taps − 1 − t] + j]); rows
/// narrower than 16 take ck_convolve_row's sums. `stream` as for ck_convolve_row.
void ck_convolve_symmetric_row(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                               float bias, float *out, ptrdiff_t width, int stream);
/// A tall column pass streamed four rows at a time: out[x] = Σ_t weights[t] · (row + t·row_stride)[x], accumulated
/// as ((out + r0·w0) + r1·w1) + r2·w2 + r3·w3 per group of four taps over whole 16-sample blocks, and as
/// out + (((r0·w0 + r1·w1) + r2·w2) + r3·w3) for the last width mod 16 samples.
void ck_accumulate_rows(const float *row, ptrdiff_t row_stride, const float *weights, ptrdiff_t taps, float *out,
                        ptrdiff_t width);

/// Interleaved 8-bit rows to Float planes: for rows y < `rows`, pixels x < `width`, channels c < `channels`,
///
///     planes[c·plane_size + y·width + x] = v/255,    v = src[y·stride + x·channels + c]
///
/// correctly rounded, computed as f·h + f·l with f = (float)v, h = 0x1.0102p-8 (1/255 to 16 significant bits, so
/// f·h is exact) and l = −0x1.fdfdfep-25 (the rest of 1/255): f·l rounded, then the sum rounded, no fused
/// multiply-add; for every byte value this is the Float nearest v/255 (the tests check all 256). Reads exactly the
/// rows' width·channels bytes. Vector blocks of 8 pixels (baseline, AVX2) or 16 (AVX-512) for 1…4 channels; at AVX2
/// and AVX-512 the second block of a row starts where its first plane's floats are 32/64-byte aligned (split-line
/// stores made the wide levels store-bound) and the last overlaps the one before. Narrower rows, the baseline's
/// tails and other channel counts go pixel by pixel.
void ck_spread8(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels, float *planes,
                ptrdiff_t plane_size);
/// One channel of an interleaved 8-bit row as Floats: dst[i] = v/255 with v = row[i·channels + channel], i < `count`,
/// computed exactly as ck_spread8 computes it (so the same floats). Reads no byte at or past row + count·channels.
/// Vector blocks of 8 (AVX2) or 16 (AVX-512) pixels of 1…4 channels (the block's bytes as 32-bit words, permuted and
/// shifted into lanes), the second block where `dst` is aligned, the last overlapping the one before; the baseline
/// goes pixel by pixel.
void ck_spread8_channel(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst);
/// Float planes to interleaved 8-bit samples: for pixels i < `count`, channels c < `channels`, with
/// v = planes[c·plane_stride + i],
///
///     dst[i·channels + c] = round_half_up(255 · min(max(v, 0), 1))    (NaN → 0)
///
/// where the product is rounded to Float and round_half_up(x) = t + (x − t ≥ ½), t = ⌊x⌋ (x − t is exact; adding
/// ½ then truncating would round 0.49999997 up). Returns how many samples lay outside [0, 1], NaN included
/// (−0 is not outside): the ones the clamp changed. Writes exactly count·channels bytes. Vector blocks of 8 pixels
/// (baseline, AVX2; 16 and 32 where one AVX2 store takes them) or 16 (AVX-512) for 1…4 channels, the rest sample
/// by sample.
ptrdiff_t ck_pack8(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst);

#endif
