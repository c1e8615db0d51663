#include "CKernels.h"
#include "pixel_kernels.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

typedef float v16 __attribute__((vector_size(64), aligned(4)));
// The matrix product's vectors are one register wide at each level.
typedef float v4 __attribute__((vector_size(16), aligned(4)));
typedef float v8 __attribute__((vector_size(32), aligned(4)));

// Unaligned loads and stores, and a broadcast, as statement expressions (no vector-typed function, whose ABI
// would depend on the level).
#define load16(p) ({ v16 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store16(p, v) do { v16 v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)
#define splat16(x) ({ float x_ = (x); (v16){x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_, x_}; })
#define LOAD(p) ({ VF v_; memcpy(&v_, (p), sizeof v_); v_; })
#define STORE(p, v) do { VF v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)
#define SPLAT(x) ({ float x_ = (x); VF v_; for (int l_ = 0; l_ < LANES; l_++) v_[l_] = x_; v_; })
// Multiply-add: rounded twice at the baseline (no FMA on every x86-64), fused where the level has FMA.
#define MADD_PLAIN(x, w, acc) ((acc) + (x) * (w))
#define MADD_FUSED(x, w, acc) __builtin_elementwise_fma((x), (w), (acc))
#define MADD_SCALAR_FUSED(x, w, acc) __builtin_fmaf((x), (w), (acc))

// With `stream`, aligned blocks are written with streaming (non-temporal) stores, which go to memory without first
// reading the line into the cache: for outputs too large to stay in the caches until they are read (see
// ck_streaming_bytes), that read is a third of the traffic. The row kernels fence such stores before returning.
typedef float v16_aligned __attribute__((vector_size(64), aligned(64)));
#define STORE_BLOCK(p, v, stream) do { \
    float *p_ = (p); \
    if ((stream) && ((uintptr_t)p_ & 63) == 0) __builtin_nontemporal_store((v), (v16_aligned *)p_); else store16(p_, (v)); \
} while (0)
#if defined(__x86_64__)
#define FENCE_STREAMS() __builtin_ia32_sfence()
#else
#define FENCE_STREAMS() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

typedef struct {
    void (*convolve_row)(const float *, const ptrdiff_t *, const float *, ptrdiff_t, float, float *, ptrdiff_t, int);
    void (*convolve_gemm)(const float *, ptrdiff_t, ptrdiff_t, const ptrdiff_t *, ptrdiff_t, const float *, const float *, ptrdiff_t,
                          float *, ptrdiff_t, ptrdiff_t, ptrdiff_t);
    void (*convolve_symmetric_row)(const float *, const ptrdiff_t *, const float *, ptrdiff_t, float, float *, ptrdiff_t, int);
    void (*accumulate_rows)(const float *, ptrdiff_t, const float *, ptrdiff_t, float *, ptrdiff_t);
    // PixelKernels.c
    void (*spread8)(const uint8_t *, ptrdiff_t, ptrdiff_t, ptrdiff_t, ptrdiff_t, float *, ptrdiff_t);
    void (*spread8_channel)(const uint8_t *, ptrdiff_t, ptrdiff_t, ptrdiff_t, float *);
    ptrdiff_t (*pack8)(const float *, ptrdiff_t, ptrdiff_t, ptrdiff_t, uint8_t *);
} kernel_table;

// Each level defines TARGET, KERNEL, VF, LANES, GEMM_MR, GEMM_NV, ROW_BLOCKS (blocks of 16 lanes a row kernel sums side
// by side: four vector chains), MADD and MADD_SCALAR, then includes the body,
// which undefines them at its end.

// The baseline: SSE2 on x86-64, NEON on arm64 (4 lanes, 16 registers): tiles of 4 channels × 2 vectors.
// GEMM_MR must divide 8 (the weights are packed in blocks of eight channels).
#define TARGET
#define KERNEL(name) name##_base
#define VF v4
#define LANES 4
#define GEMM_MR 4
#define GEMM_NV 2
#define ROW_BLOCKS 1
#define MADD MADD_PLAIN
#define MADD_SCALAR MADD_PLAIN
#include "kernels_body.h"
static const kernel_table base_table = {convolve_row_base, convolve_gemm_base, convolve_symmetric_row_base, accumulate_rows_base,
                                        ck_spread8_base, ck_spread8_channel_base, ck_pack8_base};

#if defined(__x86_64__)
// AVX2 with FMA (8 lanes, 16 registers): tiles of 4 channels × 2 vectors (4 × 3 leaves too few registers: spills).
#define TARGET __attribute__((target("avx2,fma")))
#define KERNEL(name) name##_avx2
#define VF v8
#define LANES 8
#define GEMM_MR 4
#define GEMM_NV 2
#define ROW_BLOCKS 2
#define MADD MADD_FUSED
#define MADD_SCALAR MADD_SCALAR_FUSED
#include "kernels_body.h"
static const kernel_table avx2_table = {convolve_row_avx2, convolve_gemm_avx2, convolve_symmetric_row_avx2, accumulate_rows_avx2,
                                        ck_spread8_avx2, ck_spread8_channel_avx2, ck_pack8_avx2};

// AVX-512F (16 lanes, 32 registers, FMA): tiles of 8 channels × 2 vectors.
#define TARGET __attribute__((target("avx512f")))
#define KERNEL(name) name##_avx512
#define VF v16
#define LANES 16
#define GEMM_MR 8
#define GEMM_NV 2
#define ROW_BLOCKS 4
#define MADD MADD_FUSED
#define MADD_SCALAR MADD_SCALAR_FUSED
#include "kernels_body.h"
static const kernel_table avx512_table = {convolve_row_avx512, convolve_gemm_avx512, convolve_symmetric_row_avx512, accumulate_rows_avx512,
                                        ck_spread8_avx512, ck_spread8_channel_avx512, ck_pack8_avx512};
#endif

// Set at load and by ck_set_level (tests switch levels while other threads compute: every level gives the same
// results, and the pointer itself is atomic).
static _Atomic(const kernel_table *) active = &base_table;
static _Atomic int active_level = 0;

int ck_supported_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

int ck_set_level(int level) {
    int supported = ck_supported_level();
    if (level > supported) level = supported;
    if (level < 0) level = 0;
#if defined(__x86_64__)
    atomic_store_explicit(&active, level == 2 ? &avx512_table : level == 1 ? &avx2_table : &base_table, memory_order_relaxed);
#else
    atomic_store_explicit(&active, &base_table, memory_order_relaxed);
#endif
    atomic_store_explicit(&active_level, level, memory_order_relaxed);
    return level;
}

ptrdiff_t ck_streaming_bytes(void) {
    static _Atomic ptrdiff_t bytes = 0;
    ptrdiff_t known = atomic_load_explicit(&bytes, memory_order_relaxed);
    if (known > 0) return known;
    long cache = sysconf(_SC_LEVEL3_CACHE_SIZE), cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cache <= 0) cache = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (cores <= 0) cores = 1;
    known = cache > 0 ? (ptrdiff_t)(cache / cores) * 3 / 4 : (ptrdiff_t)8 << 20;
    atomic_store_explicit(&bytes, known, memory_order_relaxed);
    return known;
}

int ck_level(void) { return atomic_load_explicit(&active_level, memory_order_relaxed); }

const char *ck_level_name(int level) {
#if defined(__x86_64__)
    return level == 2 ? "avx512" : level == 1 ? "avx2" : "sse2";
#elif defined(__aarch64__)
    (void)level;
    return "neon";
#else
    (void)level;
    return "scalar";
#endif
}

// At load: the widest level, or IMGCONV_CPU's (never wider than the CPU's).
__attribute__((constructor)) static void choose_level(void) {
    int level = ck_supported_level();
    const char *wanted = getenv("IMGCONV_CPU");
    if (wanted) {
        if (strcmp(wanted, "sse2") == 0 || strcmp(wanted, "neon") == 0 || strcmp(wanted, "scalar") == 0) level = 0;
        else if (strcmp(wanted, "avx2") == 0 && level > 1) level = 1;
    }
    ck_set_level(level);
}

void ck_convolve_row(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps, float bias,
                     float *out, ptrdiff_t width, int stream) {
    atomic_load_explicit(&active, memory_order_relaxed)->convolve_row(row, offsets, weights, taps, bias, out, width, stream);
}

void ck_convolve_gemm(const float *source, ptrdiff_t row_step, ptrdiff_t rows, const ptrdiff_t *offsets, ptrdiff_t taps,
                      const float *packed, const float *bias, ptrdiff_t channels, float *out, ptrdiff_t out_row_stride,
                      ptrdiff_t channel_stride, ptrdiff_t width) {
    atomic_load_explicit(&active, memory_order_relaxed)->convolve_gemm(source, row_step, rows, offsets, taps, packed, bias, channels,
                                                                         out, out_row_stride, channel_stride, width);
}

void ck_convolve_symmetric_row(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                               float bias, float *out, ptrdiff_t width, int stream) {
    atomic_load_explicit(&active, memory_order_relaxed)->convolve_symmetric_row(row, offsets, weights, taps, bias, out, width, stream);
}

void ck_accumulate_rows(const float *row, ptrdiff_t row_stride, const float *weights, ptrdiff_t taps, float *out,
                        ptrdiff_t width) {
    atomic_load_explicit(&active, memory_order_relaxed)->accumulate_rows(row, row_stride, weights, taps, out, width);
}

void ck_spread8(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels, float *planes,
                ptrdiff_t plane_size) {
    atomic_load_explicit(&active, memory_order_relaxed)->spread8(src, stride, rows, width, channels, planes, plane_size);
}

void ck_spread8_channel(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst) {
    atomic_load_explicit(&active, memory_order_relaxed)->spread8_channel(row, channels, channel, count, dst);
}

ptrdiff_t ck_pack8(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst) {
    return atomic_load_explicit(&active, memory_order_relaxed)->pack8(planes, plane_stride, channels, count, dst);
}
