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

TARGET static void KERNEL(convolve_row_block4)(const float *row, const ptrdiff_t *offsets, const float *weights, ptrdiff_t taps,
                                               const float *bias, float *out, ptrdiff_t channel_stride, ptrdiff_t width) {
    if (width >= 16) {
        ptrdiff_t start = 0;
        for (;;) {
            if (start > width - 16) start = width - 16;
            v16 a0 = splat16(bias[0]), a1 = splat16(bias[1]), a2 = splat16(bias[2]), a3 = splat16(bias[3]);
            const float *source = row + start, *w = weights;
            for (ptrdiff_t t = 0; t < taps; t++, w += 4) {
                v16 x = load16(source + offsets[t]);
                a0 += x * w[0];
                a1 += x * w[1];
                a2 += x * w[2];
                a3 += x * w[3];
            }
            float *o = out + start;
            store16(o, a0);
            store16(o + channel_stride, a1);
            store16(o + 2 * channel_stride, a2);
            store16(o + 3 * channel_stride, a3);
            if (start == width - 16) break;
            start += 16;
        }
    } else {
        for (ptrdiff_t j = 0; j < width; j++) {
            float a[4] = {bias[0], bias[1], bias[2], bias[3]};
            for (ptrdiff_t t = 0; t < taps; t++) {
                float x = row[offsets[t] + j];
                for (int o = 0; o < 4; o++) a[o] += x * weights[4 * t + o];
            }
            for (int o = 0; o < 4; o++) out[o * channel_stride + j] = a[o];
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
