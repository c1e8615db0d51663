// One body for every level (no include guard on purpose): included by CKernels.c once per level, with KERNEL(name) naming the variant and TARGET its attribute.
// Row sums in blocks of 16 lanes (one AVX-512 register, two AVX2 or four SSE2 ones). A block's lanes are summed
// tap after tap, so the additions of one block form a chain as long as the taps, each waiting for the one before:
// ROW_BLOCKS blocks are summed side by side (four chains at every level), which keeps the vector units busy
// instead of waiting on that latency. Each lane's operations and their order are the same whatever the grouping.

// `n` blocks of 16 outputs from `source` (a row at the block's first output) to `out`: bias, then (symmetric) the
// middle tap and the mirrored pairs, or (not symmetric) every tap in order.
TARGET static inline __attribute__((always_inline)) void KERNEL(row_blocks)(
    int symmetric, int n, const float *source, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps, float bias,
    float *out, int stream) {
    v16 acc[ROW_BLOCKS];
    for (int b = 0; b < n; b++) acc[b] = splat16(bias);
    if (symmetric) {
        ptrdiff_t pairs = taps / 2;
        if (taps % 2 == 1) {
            const float *s = source + offsets[pairs];
            float w = weights[pairs];
            for (int b = 0; b < n; b++) acc[b] += load16(s + 16 * b) * w;
        }
        for (ptrdiff_t t = 0; t < pairs; t++) {
            const float *s = source + offsets[t], *m = source + offsets[taps - 1 - t];
            float w = weights[t];
            for (int b = 0; b < n; b++) acc[b] += (load16(s + 16 * b) + load16(m + 16 * b)) * w;
        }
    } else {
        for (ptrdiff_t t = 0; t < taps; t++) {
            const float *s = source + offsets[t];
            float w = weights[t];
            for (int b = 0; b < n; b++) acc[b] += load16(s + 16 * b) * w;
        }
    }
    for (int b = 0; b < n; b++) STORE_BLOCK(out + 16 * b, acc[b], stream);
}

// A row at least 16 wide: a block at 0, then blocks where `out` is 64-byte aligned (a block is one cache line, and
// a streaming store needs the alignment), ROW_BLOCKS at a time, and a last block ending at the row's end. Blocks
// overlap where the grid shifts; an overlapped lane is recomputed from the same samples, so it gets the same value.
TARGET static inline __attribute__((always_inline)) void KERNEL(row_grid)(
    int symmetric, const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps, float bias,
    float *out, ptrdiff_t width, int stream) {
    KERNEL(row_blocks)(symmetric, 1, row, offsets, weights, taps, bias, out, stream);
    ptrdiff_t start = 16 - (ptrdiff_t)(((uintptr_t)out & 63) / sizeof(float));
    for (; start + 16 * ROW_BLOCKS <= width; start += 16 * ROW_BLOCKS)
        KERNEL(row_blocks)(symmetric, ROW_BLOCKS, row + start, offsets, weights, taps, bias, out + start, stream);
    for (; start + 16 <= width; start += 16)
        KERNEL(row_blocks)(symmetric, 1, row + start, offsets, weights, taps, bias, out + start, stream);
    if (start < width)
        KERNEL(row_blocks)(symmetric, 1, row + width - 16, offsets, weights, taps, bias, out + width - 16, stream);
    if (stream) FENCE_STREAMS();
}

TARGET static void KERNEL(convolve_row)(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                                        float bias, float *out, ptrdiff_t width, int stream) {
    if (width >= 16) {
        KERNEL(row_grid)(0, row, offsets, weights, taps, bias, out, width, stream);
    } else {  // rows narrower than a vector: the same sums one at a time
        for (ptrdiff_t j = 0; j < width; j++) {
            float acc = bias;
            for (ptrdiff_t t = 0; t < taps; t++) acc += row[offsets[t] + j] * weights[t];
            out[j] = acc;
        }
    }
}

TARGET static void KERNEL(convolve_symmetric_row)(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                                                  float bias, float *out, ptrdiff_t width, int stream) {
    if (width >= 16) {
        KERNEL(row_grid)(1, row, offsets, weights, taps, bias, out, width, stream);
    } else {
        KERNEL(convolve_row)(row, offsets, weights, taps, bias, out, width, stream);
    }
}

TARGET static void KERNEL(accumulate_rows)(const float *row, ptrdiff_t row_stride, const float *weights, ptrdiff_t taps,
                                           float *out, ptrdiff_t width) {
    for (ptrdiff_t x = 0; x < width; x++) out[x] = 0;
    for (ptrdiff_t t = 0; t < taps; t += 4) {
        ptrdiff_t n = taps - t < 4 ? taps - t : 4;
        const float *r0 = row + t * row_stride;
        const float *r1 = n > 1 ? r0 + row_stride : r0, *r2 = n > 2 ? r0 + 2 * row_stride : r0, *r3 = n > 3 ? r0 + 3 * row_stride : r0;
        float w0 = weights[t], w1 = n > 1 ? weights[t + 1] : 0, w2 = n > 2 ? weights[t + 2] : 0, w3 = n > 3 ? weights[t + 3] : 0;
        ptrdiff_t x = 0;
        for (; x + 16 <= width; x += 16) {
            v16 acc = load16(out + x);
            acc += load16(r0 + x) * w0;
            acc += load16(r1 + x) * w1;
            acc += load16(r2 + x) * w2;
            acc += load16(r3 + x) * w3;
            store16(out + x, acc);
        }
        for (; x < width; x++) out[x] += r0[x] * w0 + r1[x] * w1 + r2[x] * w2 + r3[x] * w3;
    }
}

// Dense convolution as a matrix product (see ck_convolve_gemm in CKernels.h). A register tile of `m` output
// channels × `nv` vectors of columns: per tap, nv loads of shifted input and m broadcast weights feed m·nv
// multiply-adds, so each loaded sample is used m times and each weight nv·LANES times. m and nv are constants at
// every call (the function is inlined), so the accumulators live in registers.
TARGET static inline __attribute__((always_inline)) void KERNEL(gemm_tile)(
    int m, int nv, const float *source, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
    const float *bias, float *out, ptrdiff_t channel_stride) {
    VF acc[GEMM_MR][GEMM_NV];
    for (int r = 0; r < m; r++)
        for (int v = 0; v < nv; v++) acc[r][v] = SPLAT(bias[r]);
    for (ptrdiff_t t = 0; t < taps; t++) {
        const float *s = source + offsets[t], *w = weights + 8 * t;
        VF x[GEMM_NV];
        for (int v = 0; v < nv; v++) x[v] = LOAD(s + v * LANES);
        for (int r = 0; r < m; r++) {
            VF b = SPLAT(w[r]);
            for (int v = 0; v < nv; v++) acc[r][v] = MADD(x[v], b, acc[r][v]);
        }
    }
    for (int r = 0; r < m; r++)
        for (int v = 0; v < nv; v++) STORE(out + r * channel_stride + v * LANES, acc[r][v]);
}

// One block of m ≤ GEMM_MR channels over rows × width: tiles of nv vectors, the last one overlapping the one before.
TARGET static inline __attribute__((always_inline)) void KERNEL(gemm_block)(
    int m, const float *source, ptrdiff_t row_step, ptrdiff_t rows, const ptrdiff_t *offsets, const float *weights,
    ptrdiff_t taps, const float *bias, float *out, ptrdiff_t out_row_stride, ptrdiff_t channel_stride, ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < rows; i++) {
        const float *s = source + i * row_step;
        float *o = out + i * out_row_stride;
        if (width >= GEMM_NV * LANES) {
            for (ptrdiff_t start = 0;; start += GEMM_NV * LANES) {
                if (start > width - GEMM_NV * LANES) start = width - GEMM_NV * LANES;
                KERNEL(gemm_tile)(m, GEMM_NV, s + start, offsets, weights, taps, bias, o + start, channel_stride);
                if (start == width - GEMM_NV * LANES) break;
            }
        } else if (width >= LANES) {
            for (ptrdiff_t start = 0;; start += LANES) {
                if (start > width - LANES) start = width - LANES;
                KERNEL(gemm_tile)(m, 1, s + start, offsets, weights, taps, bias, o + start, channel_stride);
                if (start == width - LANES) break;
            }
        } else {  // rows narrower than a vector: the same sums one at a time
            for (ptrdiff_t j = 0; j < width; j++)
                for (int r = 0; r < m; r++) {
                    float acc = bias[r];
                    for (ptrdiff_t t = 0; t < taps; t++) acc = MADD_SCALAR(s[offsets[t] + j], weights[8 * t + r], acc);
                    o[r * channel_stride + j] = acc;
                }
        }
    }
}

TARGET static void KERNEL(convolve_gemm)(const float *source, ptrdiff_t row_step, ptrdiff_t rows, const ptrdiff_t *offsets,
                                         ptrdiff_t taps, const float *packed, const float *bias, ptrdiff_t channels,
                                         float *out, ptrdiff_t out_row_stride, ptrdiff_t channel_stride, ptrdiff_t width) {
    for (ptrdiff_t c = 0; c < channels;) {
        const float *w = packed + (c / 8) * taps * 8 + c % 8;  // c is a multiple of 8, or of GEMM_MR within a block of 8
        float *o = out + c * channel_stride;
        ptrdiff_t left = channels - c;
        if (left >= GEMM_MR) {
            KERNEL(gemm_block)(GEMM_MR, source, row_step, rows, offsets, w, taps, bias + c, o, out_row_stride, channel_stride, width);
            c += GEMM_MR;
        } else if (left >= 4 && GEMM_MR > 4) {
            KERNEL(gemm_block)(4, source, row_step, rows, offsets, w, taps, bias + c, o, out_row_stride, channel_stride, width);
            c += 4;
        } else if (left >= 2) {
            KERNEL(gemm_block)(2, source, row_step, rows, offsets, w, taps, bias + c, o, out_row_stride, channel_stride, width);
            c += 2;
        } else {
            KERNEL(gemm_block)(1, source, row_step, rows, offsets, w, taps, bias + c, o, out_row_stride, channel_stride, width);
            c += 1;
        }
    }
}

#undef TARGET
#undef KERNEL
#undef VF
#undef LANES
#undef GEMM_MR
#undef GEMM_NV
#undef MADD
#undef MADD_SCALAR
#undef ROW_BLOCKS
