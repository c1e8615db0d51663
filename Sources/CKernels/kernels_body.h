// One body for every level (no include guard on purpose): included by CKernels.c once per level, with KERNEL(name) naming the variant and TARGET its attribute.
// 16 lanes (one AVX-512 register, two AVX2 or four SSE2 ones); the last block of a row overlaps the previous one
// instead of falling back to scalars, which is safe because every lane is recomputed from the scratch.

TARGET static void KERNEL(convolve_row)(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                                        float bias, float *out, ptrdiff_t width) {
    if (width >= 16) {
        ptrdiff_t start = 0;
        for (;;) {
            if (start > width - 16) start = width - 16;
            v16 acc = splat16(bias);
            const float *source = row + start;
            for (ptrdiff_t t = 0; t < taps; t++) acc += load16(source + offsets[t]) * weights[t];
            store16(out + start, acc);
            if (start == width - 16) break;
            start += 16;
        }
    } else {  // rows narrower than a vector: the same sums one at a time
        for (ptrdiff_t j = 0; j < width; j++) {
            float acc = bias;
            for (ptrdiff_t t = 0; t < taps; t++) acc += row[offsets[t] + j] * weights[t];
            out[j] = acc;
        }
    }
}

TARGET static void KERNEL(convolve_symmetric_row)(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                                                  float bias, float *out, ptrdiff_t width) {
    if (width < 16) {
        KERNEL(convolve_row)(row, offsets, weights, taps, bias, out, width);
        return;
    }
    ptrdiff_t pairs = taps / 2, middle = taps % 2 == 1 ? taps / 2 : -1;
    ptrdiff_t start = 0;
    for (;;) {
        if (start > width - 16) start = width - 16;
        const float *source = row + start;
        v16 acc = splat16(bias);
        if (middle >= 0) acc += load16(source + offsets[middle]) * weights[middle];
        for (ptrdiff_t t = 0; t < pairs; t++) {
            v16 a = load16(source + offsets[t]), b = load16(source + offsets[taps - 1 - t]);
            acc += (a + b) * weights[t];
        }
        store16(out + start, acc);
        if (start == width - 16) break;
        start += 16;
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
