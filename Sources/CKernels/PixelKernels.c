// 8-bit samples to and from Float planes (ck_spread8, ck_pack8 in CKernels.h), one variant per level: generic 8-lane
// vectors at the baseline, hand-written AVX2 and AVX-512F shuffles on x86-64. Every variant computes each value with the
// scalar functions' operations (no fused multiply-add), so every level gives the same floats and bytes.
#include "CKernels.h"
#include "pixel_kernels.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

// 1/255 to 16 significant bits, and the rest of 1/255: v·HIGH is exact for every byte v, so v·HIGH + v·LOW (the
// product v·LOW rounded, then the sum) is rounded once where it matters and gives the correctly rounded v/255 for
// every v (the tests check all 256).
#define UNIT8_HIGH 0x1.0102p-8f
#define UNIT8_LOW (-0x1.fdfdfep-25f)

#define ALWAYS_INLINE __attribute__((always_inline)) inline

// The vector loops count outside samples in 32-bit lanes; runs of at most this many pixels keep them from wrapping.
#define PACK_CHUNK ((ptrdiff_t)1 << 26)

static ALWAYS_INLINE float unit8(uint8_t v) {
    float f = (float)v;
    return f * UNIT8_HIGH + f * UNIT8_LOW;
}

// Clamped to [0, 1] (NaN → 0), times 255, rounded half up: truncate, then compare the exact remainder with ½.
static ALWAYS_INLINE uint8_t quantize8(float v) {
    float x = v > 0 ? (v < 1 ? v : 1) * 255 : 0;
    int32_t t = (int32_t)x;
    return (uint8_t)(x - (float)t >= 0.5f ? t + 1 : t);
}

static ALWAYS_INLINE int outside_unit(float v) { return !(v >= 0 && v <= 1); }

// One row, pixel by pixel; `channels` is a constant where it is inlined (1…4), so the compiler may vectorise it.
static ALWAYS_INLINE void spread_row(const uint8_t *row, ptrdiff_t from, ptrdiff_t width, ptrdiff_t channels, float *out,
                                     ptrdiff_t plane_size) {
    for (ptrdiff_t x = from; x < width; x++)
        for (ptrdiff_t c = 0; c < channels; c++) out[c * plane_size + x] = unit8(row[x * channels + c]);
}

static ALWAYS_INLINE ptrdiff_t pack_run(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t from,
                                        ptrdiff_t count, uint8_t *dst) {
    ptrdiff_t outside = 0;
    for (ptrdiff_t i = from; i < count; i++)
        for (ptrdiff_t c = 0; c < channels; c++) {
            float v = planes[c * plane_stride + i];
            outside += outside_unit(v);
            dst[i * channels + c] = quantize8(v);
        }
    return outside;
}

// ---- The baseline (SSE2 on x86-64, NEON on arm64, plain C elsewhere): 8 lanes of the compiler's generic vectors,
// which every target lowers to what it has; no SSSE3 byte shuffles on x86-64 ----
typedef float f32x8 __attribute__((vector_size(32), aligned(4)));
typedef int32_t i32x8 __attribute__((vector_size(32), aligned(4)));
typedef uint32_t u32x8 __attribute__((vector_size(32), aligned(4)));
typedef uint64_t u64x4 __attribute__((vector_size(32), aligned(4)));
typedef uint16_t u16x8 __attribute__((vector_size(16), aligned(2)));
typedef uint8_t u8x8 __attribute__((vector_size(8), aligned(1)));
// The vector cases read bytes as parts of wider integers: little-endian hosts only (others take the scalar loops).
#define LITTLE_ENDIAN_HOST (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#define LOADV(type, p) ({ type v_; memcpy(&v_, (p), sizeof v_); v_; })
#define STOREV(type, p, v) do { type v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)

// unit8 on 8 lanes (statement expressions, not functions: a vector-typed function's ABI would depend on the level).
#define UNIT8_LANES(v) ({ f32x8 f_ = __builtin_convertvector((i32x8)(v), f32x8); f_ * UNIT8_HIGH + f_ * UNIT8_LOW; })

void ck_spread8_base(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                     float *planes, ptrdiff_t plane_size) {
    for (ptrdiff_t y = 0; y < rows; y++) {
        const uint8_t *row = src + y * stride;
        float *out = planes + y * width, *p1 = out + plane_size, *p2 = out + 2 * plane_size, *p3 = out + 3 * plane_size;
        ptrdiff_t x = 0;
        switch (LITTLE_ENDIAN_HOST ? channels : 0) {
        case 1:
            for (; x + 8 <= width; x += 8) STOREV(f32x8, out + x, UNIT8_LANES(__builtin_convertvector(LOADV(u8x8, row + x), u32x8)));
            spread_row(row, x, width, 1, out, plane_size);
            break;
        case 2:
            for (; x + 8 <= width; x += 8) {
                u32x8 p = __builtin_convertvector(LOADV(u16x8, row + 2 * x), u32x8);  // little-endian: c0 | c1 << 8
                STOREV(f32x8, out + x, UNIT8_LANES(p & 0xFF));
                STOREV(f32x8, p1 + x, UNIT8_LANES(p >> 8));
            }
            spread_row(row, x, width, 2, out, plane_size);
            break;
        case 3:
            // Eight pixels from four 8-byte loads 6 bytes apart (two pixels each; the last load reads two bytes of
            // the ninth pixel, which must exist), as r | g << 8 | b << 16 in 32-bit lanes.
            for (; x + 9 <= width; x += 8) {
                const uint8_t *p = row + 3 * x;
                u64x4 pairs = {LOADV(uint64_t, p), LOADV(uint64_t, p + 6), LOADV(uint64_t, p + 12), LOADV(uint64_t, p + 18)};
                u32x8 pixels = (u32x8)((pairs & 0xFFFFFF) | ((pairs >> 24) & 0xFFFFFF) << 32);
                STOREV(f32x8, out + x, UNIT8_LANES(pixels & 0xFF));
                STOREV(f32x8, p1 + x, UNIT8_LANES((pixels >> 8) & 0xFF));
                STOREV(f32x8, p2 + x, UNIT8_LANES(pixels >> 16));
            }
            spread_row(row, x, width, 3, out, plane_size);
            break;
        case 4:
            for (; x + 8 <= width; x += 8) {
                u32x8 p = LOADV(u32x8, row + 4 * x);  // little-endian: c0 | c1 << 8 | c2 << 16 | c3 << 24
                STOREV(f32x8, out + x, UNIT8_LANES(p & 0xFF));
                STOREV(f32x8, p1 + x, UNIT8_LANES((p >> 8) & 0xFF));
                STOREV(f32x8, p2 + x, UNIT8_LANES((p >> 16) & 0xFF));
                STOREV(f32x8, p3 + x, UNIT8_LANES(p >> 24));
            }
            spread_row(row, x, width, 4, out, plane_size);
            break;
        default: spread_row(row, 0, width, channels, out, plane_size); break;
        }
    }
}

void ck_spread8_channel_base(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst) {
    const uint8_t *s = row + channel;
    switch (channels) {  // constant strides, which the compiler may vectorise
    case 1: for (ptrdiff_t i = 0; i < count; i++) dst[i] = unit8(s[i]); break;
    case 2: for (ptrdiff_t i = 0; i < count; i++) dst[i] = unit8(s[2 * i]); break;
    case 3: for (ptrdiff_t i = 0; i < count; i++) dst[i] = unit8(s[3 * i]); break;
    case 4: for (ptrdiff_t i = 0; i < count; i++) dst[i] = unit8(s[4 * i]); break;
    default: for (ptrdiff_t i = 0; i < count; i++) dst[i] = unit8(s[channels * i]); break;
    }
}

// quantize8 on 8 lanes as 32-bit integers 0…255 (compares give all-ones lanes, so subtracting one adds 1); lanes the
// clamp changed add one to `outside`.
#define QUANTIZE8_LANES(p, outside) ({                                                  \
    f32x8 v_ = LOADV(f32x8, (p)), one_ = (f32x8){1, 1, 1, 1, 1, 1, 1, 1};              \
    f32x8 x_ = (f32x8)((i32x8)v_ & (v_ > 0)); /* negative, −0 and NaN → +0 */           \
    i32x8 below_ = x_ < one_;                                                           \
    x_ = (f32x8)(((i32x8)x_ & below_) | ((i32x8)one_ & ~below_));                       \
    (outside) -= (u32x8)(x_ != v_);                                                     \
    x_ = x_ * 255;                                                                      \
    i32x8 t_ = __builtin_convertvector(x_, i32x8); /* truncates */                      \
    (u32x8)(t_ - (x_ - __builtin_convertvector(t_, f32x8) >= 0.5f));                    \
})

ptrdiff_t ck_pack8_base(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst) {
    if (channels < 1 || channels > 4 || !LITTLE_ENDIAN_HOST) return pack_run(planes, plane_stride, channels, 0, count, dst);
    ptrdiff_t total = 0;
    for (ptrdiff_t start = 0; start < count; start += PACK_CHUNK) {
        ptrdiff_t n = count - start < PACK_CHUNK ? count - start : PACK_CHUNK;
        const float *r = planes + start, *g = r + plane_stride, *b = r + 2 * plane_stride, *a = r + 3 * plane_stride;
        uint8_t *out = dst + start * channels;
        u32x8 outside = {0};
        ptrdiff_t i = 0;
        switch (channels) {
        case 1:
            for (; i + 8 <= n; i += 8) STOREV(u8x8, out + i, __builtin_convertvector(QUANTIZE8_LANES(r + i, outside), u8x8));
            break;
        case 2:
            for (; i + 8 <= n; i += 8) {
                u32x8 p = QUANTIZE8_LANES(r + i, outside) | QUANTIZE8_LANES(g + i, outside) << 8;
                STOREV(u16x8, out + 2 * i, __builtin_convertvector(p, u16x8));
            }
            break;
        case 3:
            // Pixels r | g << 8 | b << 16; pairs of them as 64-bit lanes packed into 6 bytes each and stored 8 bytes
            // at a time, 6 apart (the two extra bytes are overwritten by the next store; the last run of pixels is
            // left to the scalar loop so that no byte past the run is written).
            for (; i + 9 <= n; i += 8) {
                u32x8 pixel = QUANTIZE8_LANES(r + i, outside) | QUANTIZE8_LANES(g + i, outside) << 8
                              | QUANTIZE8_LANES(b + i, outside) << 16;
                u64x4 pairs = (u64x4)pixel;  // lane k: pixel 2k | pixel 2k + 1 << 32 (little-endian)
                u64x4 packed = (pairs & 0xFFFFFF) | ((pairs >> 8) & 0xFFFFFF000000);
                uint8_t *o = out + 3 * i;
                STOREV(uint64_t, o, packed[0]);
                STOREV(uint64_t, o + 6, packed[1]);
                STOREV(uint64_t, o + 12, packed[2]);
                STOREV(uint64_t, o + 18, packed[3]);
            }
            break;
        case 4:
            for (; i + 8 <= n; i += 8) {
                u32x8 p = QUANTIZE8_LANES(r + i, outside) | QUANTIZE8_LANES(g + i, outside) << 8
                          | QUANTIZE8_LANES(b + i, outside) << 16 | QUANTIZE8_LANES(a + i, outside) << 24;
                STOREV(u32x8, out + 4 * i, p);
            }
            break;
        }
        for (int l = 0; l < 8; l++) total += outside[l];
        total += pack_run(r, plane_stride, channels, i, n, out);
    }
    return total;
}

// A row of `width` ≥ n pixels in blocks of n; the second block starts where `out` + x is `align` bytes aligned (a
// store split across two cache lines costs about twice one that is not), the last overlaps the one before. The
// overlapping pixels are recomputed from the source, so storing them twice is harmless.
#define ALIGNED_BLOCKS(n, align, out, width, x, BLOCK)                                                  \
    for (ptrdiff_t x = 0, head_ = (ptrdiff_t)(((align) - ((uintptr_t)(out) & ((align) - 1))) & ((align) - 1)) / 4;;) { \
        if (x > (width) - (n)) x = (width) - (n);                                                       \
        BLOCK;                                                                                          \
        if (x == (width) - (n)) break;                                                                  \
        x = x == 0 && head_ > 0 ? head_ : x + (n);                                                      \
    }


#if defined(__x86_64__)
#include <immintrin.h>

// ---- AVX2: 8 pixels per block (16 or 32 where one store takes them) ----
#define AVX2 __attribute__((target("avx2")))

AVX2 static ALWAYS_INLINE __m256 unit8_avx2(__m256i v) {
    __m256 f = _mm256_cvtepi32_ps(v);
    return _mm256_add_ps(_mm256_mul_ps(f, _mm256_set1_ps(UNIT8_HIGH)), _mm256_mul_ps(f, _mm256_set1_ps(UNIT8_LOW)));
}

AVX2 static ALWAYS_INLINE void store_unit8_avx2(float *p, __m256i v) { _mm256_storeu_ps(p, unit8_avx2(v)); }

AVX2 void ck_spread8_avx2(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                          float *planes, ptrdiff_t plane_size) {
    if (width < 8 || channels < 1 || channels > 4) {
        ck_spread8_base(src, stride, rows, width, channels, planes, plane_size);
        return;
    }
    const __m256i low = _mm256_set1_epi32(0xFF);
    // RGB: pixels 0–3 are bytes 0–11 of a 16-byte load at 3x, pixels 4–7 bytes 4–15 of one at 3x + 8 (so that the
    // block reads its 24 bytes only); byte 3k + c of each lane goes to the low byte of 32-bit lane k.
#define RGB_LANE(c, b) (b) + (c), -1, -1, -1, (b) + 3 + (c), -1, -1, -1, (b) + 6 + (c), -1, -1, -1, (b) + 9 + (c), -1, -1, -1
    const __m256i rgb0 = _mm256_setr_epi8(RGB_LANE(0, 0), RGB_LANE(0, 4));
    const __m256i rgb1 = _mm256_setr_epi8(RGB_LANE(1, 0), RGB_LANE(1, 4));
    const __m256i rgb2 = _mm256_setr_epi8(RGB_LANE(2, 0), RGB_LANE(2, 4));
#undef RGB_LANE
    for (ptrdiff_t y = 0; y < rows; y++) {
        const uint8_t *row = src + y * stride;
        float *out = planes + y * width;
        float *p1 = out + plane_size, *p2 = out + 2 * plane_size, *p3 = out + 3 * plane_size;
        switch (channels) {
        case 1:
            ALIGNED_BLOCKS(8, 32, out, width, x, {
                store_unit8_avx2(out + x, _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(row + x))));
            })
            break;
        case 2:
            ALIGNED_BLOCKS(8, 32, out, width, x, {
                __m256i p = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(row + 2 * x)));
                store_unit8_avx2(out + x, _mm256_and_si256(p, low));
                store_unit8_avx2(p1 + x, _mm256_srli_epi32(p, 8));
            })
            break;
        case 3:
            ALIGNED_BLOCKS(8, 32, out, width, x, {
                __m256i p = _mm256_loadu2_m128i((const __m128i *)(row + 3 * x + 8), (const __m128i *)(row + 3 * x));
                store_unit8_avx2(out + x, _mm256_shuffle_epi8(p, rgb0));
                store_unit8_avx2(p1 + x, _mm256_shuffle_epi8(p, rgb1));
                store_unit8_avx2(p2 + x, _mm256_shuffle_epi8(p, rgb2));
            })
            break;
        case 4:
            ALIGNED_BLOCKS(8, 32, out, width, x, {
                __m256i p = _mm256_loadu_si256((const __m256i *)(row + 4 * x));
                store_unit8_avx2(out + x, _mm256_and_si256(p, low));
                store_unit8_avx2(p1 + x, _mm256_and_si256(_mm256_srli_epi32(p, 8), low));
                store_unit8_avx2(p2 + x, _mm256_and_si256(_mm256_srli_epi32(p, 16), low));
                store_unit8_avx2(p3 + x, _mm256_srli_epi32(p, 24));
            })
            break;
        }
    }
}

// quantize8 on 8 lanes, as 32-bit integers 0…255; lanes the clamp changed (outside [0, 1], NaN included; −0 is
// not) add one to `outside`. max(v, 0) is 0 for NaN (maxps returns its second operand when one is NaN).
AVX2 static ALWAYS_INLINE __m256i quantize8_avx2(const float *p, __m256i *outside) {
    __m256 v = _mm256_loadu_ps(p);
    __m256 x = _mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(1));
    *outside = _mm256_sub_epi32(*outside, _mm256_castps_si256(_mm256_cmp_ps(x, v, _CMP_NEQ_UQ)));
    x = _mm256_mul_ps(x, _mm256_set1_ps(255));
    __m256i t = _mm256_cvttps_epi32(x);
    __m256 up = _mm256_cmp_ps(_mm256_sub_ps(x, _mm256_cvtepi32_ps(t)), _mm256_set1_ps(0.5f), _CMP_GE_OQ);
    return _mm256_sub_epi32(t, _mm256_castps_si256(up));
}

AVX2 static ptrdiff_t pack8_run_avx2(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count,
                                     uint8_t *dst) {
    const float *r = planes, *g = planes + plane_stride, *b = planes + 2 * plane_stride, *a = planes + 3 * plane_stride;
    __m256i outside = _mm256_setzero_si256();
    ptrdiff_t i = 0;
    switch (channels) {
    case 1:
        // Four vectors packed to 32 bytes (packs work within 128-bit lanes: the permutation puts them in order).
        for (; i + 32 <= count; i += 32) {
            __m256i q0 = quantize8_avx2(r + i, &outside), q1 = quantize8_avx2(r + i + 8, &outside);
            __m256i q2 = quantize8_avx2(r + i + 16, &outside), q3 = quantize8_avx2(r + i + 24, &outside);
            __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(q0, q1), _mm256_packus_epi32(q2, q3));
            _mm256_storeu_si256((__m256i *)(dst + i), _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
        for (; i + 8 <= count; i += 8) {
            __m256i q = quantize8_avx2(r + i, &outside);
            __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
            _mm_storel_epi64((__m128i *)(dst + i), _mm_packus_epi16(w, w));
        }
        break;
    case 2:
        for (; i + 16 <= count; i += 16) {
            __m256i p0 = _mm256_or_si256(quantize8_avx2(r + i, &outside), _mm256_slli_epi32(quantize8_avx2(g + i, &outside), 8));
            __m256i p1 = _mm256_or_si256(quantize8_avx2(r + i + 8, &outside), _mm256_slli_epi32(quantize8_avx2(g + i + 8, &outside), 8));
            __m256i w = _mm256_packus_epi32(p0, p1);  // 64-bit lanes: p0 0–3, p1 0–3, p0 4–7, p1 4–7
            _mm256_storeu_si256((__m256i *)(dst + 2 * i), _mm256_permute4x64_epi64(w, _MM_SHUFFLE(3, 1, 2, 0)));
        }
        break;
    case 3: {
        // r | g << 8 | b << 16 per 32-bit lane; the shuffle drops each lane's fourth byte (12 bytes per 128-bit
        // lane), the permutation joins the two halves into 24 bytes.
        const __m256i drop = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                              0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
        const __m256i join = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
        for (; i + 8 <= count; i += 8) {
            __m256i p = _mm256_or_si256(quantize8_avx2(r + i, &outside),
                                        _mm256_or_si256(_mm256_slli_epi32(quantize8_avx2(g + i, &outside), 8),
                                                        _mm256_slli_epi32(quantize8_avx2(b + i, &outside), 16)));
            __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(p, drop), join);
            _mm_storeu_si128((__m128i *)(dst + 3 * i), _mm256_castsi256_si128(bytes));
            _mm_storel_epi64((__m128i *)(dst + 3 * i + 16), _mm256_extracti128_si256(bytes, 1));
        }
        break;
    }
    case 4:
        for (; i + 8 <= count; i += 8) {
            __m256i rg = _mm256_or_si256(quantize8_avx2(r + i, &outside), _mm256_slli_epi32(quantize8_avx2(g + i, &outside), 8));
            __m256i ba = _mm256_or_si256(_mm256_slli_epi32(quantize8_avx2(b + i, &outside), 16),
                                         _mm256_slli_epi32(quantize8_avx2(a + i, &outside), 24));
            _mm256_storeu_si256((__m256i *)(dst + 4 * i), _mm256_or_si256(rg, ba));
        }
        break;
    }
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(outside), _mm256_extracti128_si256(outside, 1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(1, 0, 3, 2)));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(2, 3, 0, 1)));
    return (ptrdiff_t)(uint32_t)_mm_cvtsi128_si32(sum) + pack_run(planes, plane_stride, channels, i, count, dst);
}

AVX2 ptrdiff_t ck_pack8_avx2(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst) {
    if (channels < 1 || channels > 4) return ck_pack8_base(planes, plane_stride, channels, count, dst);
    ptrdiff_t outside = 0;
    for (ptrdiff_t start = 0; start < count; start += PACK_CHUNK) {
        ptrdiff_t n = count - start < PACK_CHUNK ? count - start : PACK_CHUNK;
        outside += pack8_run_avx2(planes + start, plane_stride, channels, n, dst + start * channels);
    }
    return outside;
}

// One channel of 8 pixels of 1…4 bytes: the block's 8·channels bytes loaded as 32-bit words (a masked load: no byte
// past them), byte channels·k + channel moved to 32-bit lane k by a word permute and a variable shift.
AVX2 void ck_spread8_channel_avx2(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst) {
    if (count < 8 || channels < 1 || channels > 4) {
        ck_spread8_channel_base(row, channels, channel, count, dst);
        return;
    }
    int32_t words[8], shifts[8], mask[8];
    for (int k = 0; k < 8; k++) {
        int32_t byte = (int32_t)(channels * k + channel);
        words[k] = byte / 4;
        shifts[k] = 8 * (byte % 4);
        mask[k] = k < 2 * channels ? -1 : 0;
    }
    const __m256i w = _mm256_loadu_si256((const __m256i *)words), sh = _mm256_loadu_si256((const __m256i *)shifts);
    const __m256i m = _mm256_loadu_si256((const __m256i *)mask), low = _mm256_set1_epi32(0xFF);
    ALIGNED_BLOCKS(8, 32, dst, count, x, {
        __m256i p = _mm256_maskload_epi32((const int *)(row + channels * x), m);
        store_unit8_avx2(dst + x, _mm256_and_si256(_mm256_srlv_epi32(_mm256_permutevar8x32_epi32(p, w), sh), low));
    })
}

// ---- AVX-512F: 16 pixels per block; no byte instructions (AVX-512BW), so RGB goes through 32-bit permutes and
// variable shifts ----
#define AVX512 __attribute__((target("avx512f")))

AVX512 static ALWAYS_INLINE __m512 unit8_avx512(__m512i v) {
    __m512 f = _mm512_cvtepi32_ps(v);
    return _mm512_add_ps(_mm512_mul_ps(f, _mm512_set1_ps(UNIT8_HIGH)), _mm512_mul_ps(f, _mm512_set1_ps(UNIT8_LOW)));
}

AVX512 static ALWAYS_INLINE void store_unit8_avx512(float *p, __m512i v) { _mm512_storeu_ps(p, unit8_avx512(v)); }

AVX512 void ck_spread8_avx512(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                              float *planes, ptrdiff_t plane_size) {
    if (width < 16 || channels < 1 || channels > 4) {
        ck_spread8_base(src, stride, rows, width, channels, planes, plane_size);
        return;
    }
    const __m512i low = _mm512_set1_epi32(0xFF);
    // RGB: the block's 48 bytes are 32-bit words 0–11; byte 3k + c is word (3k + c)/4 shifted right by 8·((3k + c) mod 4).
#define WORD(c, k) ((3 * (k) + (c)) / 4)
#define SHIFT(c, k) (8 * ((3 * (k) + (c)) % 4))
#define WORDS(c) _mm512_setr_epi32(WORD(c, 0), WORD(c, 1), WORD(c, 2), WORD(c, 3), WORD(c, 4), WORD(c, 5), WORD(c, 6), WORD(c, 7), \
                                   WORD(c, 8), WORD(c, 9), WORD(c, 10), WORD(c, 11), WORD(c, 12), WORD(c, 13), WORD(c, 14), WORD(c, 15))
#define SHIFTS(c) _mm512_setr_epi32(SHIFT(c, 0), SHIFT(c, 1), SHIFT(c, 2), SHIFT(c, 3), SHIFT(c, 4), SHIFT(c, 5), SHIFT(c, 6), SHIFT(c, 7), \
                                    SHIFT(c, 8), SHIFT(c, 9), SHIFT(c, 10), SHIFT(c, 11), SHIFT(c, 12), SHIFT(c, 13), SHIFT(c, 14), SHIFT(c, 15))
    const __m512i w0 = WORDS(0), w1 = WORDS(1), w2 = WORDS(2), s0 = SHIFTS(0), s1 = SHIFTS(1), s2 = SHIFTS(2);
#undef WORD
#undef SHIFT
#undef WORDS
#undef SHIFTS
    for (ptrdiff_t y = 0; y < rows; y++) {
        const uint8_t *row = src + y * stride;
        float *out = planes + y * width;
        float *p1 = out + plane_size, *p2 = out + 2 * plane_size, *p3 = out + 3 * plane_size;
        switch (channels) {
        case 1:
            ALIGNED_BLOCKS(16, 64, out, width, x, {
                store_unit8_avx512(out + x, _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(row + x))));
            })
            break;
        case 2:
            ALIGNED_BLOCKS(16, 64, out, width, x, {
                __m512i p = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(row + 2 * x)));
                store_unit8_avx512(out + x, _mm512_and_si512(p, low));
                store_unit8_avx512(p1 + x, _mm512_srli_epi32(p, 8));
            })
            break;
        case 3:
            ALIGNED_BLOCKS(16, 64, out, width, x, {
                __m512i p = _mm512_maskz_loadu_epi32(0x0FFF, row + 3 * x);  // the 48 bytes only
                store_unit8_avx512(out + x, _mm512_and_si512(_mm512_srlv_epi32(_mm512_permutexvar_epi32(w0, p), s0), low));
                store_unit8_avx512(p1 + x, _mm512_and_si512(_mm512_srlv_epi32(_mm512_permutexvar_epi32(w1, p), s1), low));
                store_unit8_avx512(p2 + x, _mm512_and_si512(_mm512_srlv_epi32(_mm512_permutexvar_epi32(w2, p), s2), low));
            })
            break;
        case 4:
            ALIGNED_BLOCKS(16, 64, out, width, x, {
                __m512i p = _mm512_loadu_si512(row + 4 * x);
                store_unit8_avx512(out + x, _mm512_and_si512(p, low));
                store_unit8_avx512(p1 + x, _mm512_and_si512(_mm512_srli_epi32(p, 8), low));
                store_unit8_avx512(p2 + x, _mm512_and_si512(_mm512_srli_epi32(p, 16), low));
                store_unit8_avx512(p3 + x, _mm512_srli_epi32(p, 24));
            })
            break;
        }
    }
}

// As quantize8_avx2 on 16 lanes, the compares into mask registers.
// As ck_spread8_channel_avx2, 16 pixels a block.
AVX512 void ck_spread8_channel_avx512(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst) {
    if (count < 16 || channels < 1 || channels > 4) {
        ck_spread8_channel_base(row, channels, channel, count, dst);
        return;
    }
    int32_t words[16], shifts[16];
    for (int k = 0; k < 16; k++) {
        int32_t byte = (int32_t)(channels * k + channel);
        words[k] = byte / 4;
        shifts[k] = 8 * (byte % 4);
    }
    const __m512i w = _mm512_loadu_si512(words), sh = _mm512_loadu_si512(shifts), low = _mm512_set1_epi32(0xFF);
    const __mmask16 m = (__mmask16)((1u << (4 * channels)) - 1);
    ALIGNED_BLOCKS(16, 64, dst, count, x, {
        __m512i p = _mm512_maskz_loadu_epi32(m, row + channels * x);
        store_unit8_avx512(dst + x, _mm512_and_si512(_mm512_srlv_epi32(_mm512_permutexvar_epi32(w, p), sh), low));
    })
}

AVX512 static ALWAYS_INLINE __m512i quantize8_avx512(const float *p, __m512i *outside) {
    __m512 v = _mm512_loadu_ps(p);
    __m512 x = _mm512_min_ps(_mm512_max_ps(v, _mm512_setzero_ps()), _mm512_set1_ps(1));
    *outside = _mm512_mask_sub_epi32(*outside, _mm512_cmp_ps_mask(x, v, _CMP_NEQ_UQ), *outside, _mm512_set1_epi32(-1));
    x = _mm512_mul_ps(x, _mm512_set1_ps(255));
    __m512i t = _mm512_cvttps_epi32(x);
    __mmask16 up = _mm512_cmp_ps_mask(_mm512_sub_ps(x, _mm512_cvtepi32_ps(t)), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    return _mm512_mask_sub_epi32(t, up, t, _mm512_set1_epi32(-1));
}

AVX512 static ptrdiff_t pack8_run_avx512(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count,
                                         uint8_t *dst) {
    const float *r = planes, *g = planes + plane_stride, *b = planes + 2 * plane_stride, *a = planes + 3 * plane_stride;
    __m512i outside = _mm512_setzero_si512();
    ptrdiff_t i = 0;
    switch (channels) {
    case 1:
        for (; i + 16 <= count; i += 16) _mm_storeu_si128((__m128i *)(dst + i), _mm512_cvtepi32_epi8(quantize8_avx512(r + i, &outside)));
        break;
    case 2:
        for (; i + 16 <= count; i += 16) {
            __m512i p = _mm512_or_si512(quantize8_avx512(r + i, &outside), _mm512_slli_epi32(quantize8_avx512(g + i, &outside), 8));
            _mm256_storeu_si256((__m256i *)(dst + 2 * i), _mm512_cvtepi32_epi16(p));
        }
        break;
    case 3: {
        // Pixels p_k = r | g << 8 | b << 16; output word j = 3m + k (k < 3) is p_{4m+k} >> 8k | p_{4m+k+1} << (24 − 8k).
#define LO(j) (4 * ((j) / 3) + (j) % 3)
        const __m512i first = _mm512_setr_epi32(LO(0), LO(1), LO(2), LO(3), LO(4), LO(5), LO(6), LO(7), LO(8), LO(9), LO(10), LO(11), 0, 0, 0, 0);
        const __m512i second = _mm512_setr_epi32(LO(0) + 1, LO(1) + 1, LO(2) + 1, LO(3) + 1, LO(4) + 1, LO(5) + 1, LO(6) + 1, LO(7) + 1,
                                                 LO(8) + 1, LO(9) + 1, LO(10) + 1, LO(11) + 1, 0, 0, 0, 0);
#undef LO
        const __m512i right = _mm512_setr_epi32(0, 8, 16, 0, 8, 16, 0, 8, 16, 0, 8, 16, 0, 0, 0, 0);
        const __m512i left = _mm512_setr_epi32(24, 16, 8, 24, 16, 8, 24, 16, 8, 24, 16, 8, 0, 0, 0, 0);
        for (; i + 16 <= count; i += 16) {
            __m512i p = _mm512_or_si512(quantize8_avx512(r + i, &outside),
                                        _mm512_or_si512(_mm512_slli_epi32(quantize8_avx512(g + i, &outside), 8),
                                                        _mm512_slli_epi32(quantize8_avx512(b + i, &outside), 16)));
            __m512i words = _mm512_or_si512(_mm512_srlv_epi32(_mm512_permutexvar_epi32(first, p), right),
                                            _mm512_sllv_epi32(_mm512_permutexvar_epi32(second, p), left));
            _mm512_mask_storeu_epi32(dst + 3 * i, 0x0FFF, words);  // the 48 bytes only
        }
        break;
    }
    case 4:
        for (; i + 16 <= count; i += 16) {
            __m512i rg = _mm512_or_si512(quantize8_avx512(r + i, &outside), _mm512_slli_epi32(quantize8_avx512(g + i, &outside), 8));
            __m512i ba = _mm512_or_si512(_mm512_slli_epi32(quantize8_avx512(b + i, &outside), 16),
                                         _mm512_slli_epi32(quantize8_avx512(a + i, &outside), 24));
            _mm512_storeu_si512(dst + 4 * i, _mm512_or_si512(rg, ba));
        }
        break;
    }
    return (ptrdiff_t)(uint32_t)_mm512_reduce_add_epi32(outside) + pack_run(planes, plane_stride, channels, i, count, dst);
}

AVX512 ptrdiff_t ck_pack8_avx512(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst) {
    if (channels < 1 || channels > 4) return ck_pack8_base(planes, plane_stride, channels, count, dst);
    ptrdiff_t outside = 0;
    for (ptrdiff_t start = 0; start < count; start += PACK_CHUNK) {
        ptrdiff_t n = count - start < PACK_CHUNK ? count - start : PACK_CHUNK;
        outside += pack8_run_avx512(planes + start, plane_stride, channels, n, dst + start * channels);
    }
    return outside;
}
#endif
