// The per-level variants of ck_spread8 and ck_pack8 (PixelKernels.c), for the level table in CKernels.c.
#ifndef PIXEL_KERNELS_H
#define PIXEL_KERNELS_H

#include <stddef.h>
#include <stdint.h>

void ck_spread8_base(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                     float *planes, ptrdiff_t plane_size);
void ck_spread8_channel_base(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst);
ptrdiff_t ck_pack8_base(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst);

#if defined(__x86_64__)
void ck_spread8_avx2(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                     float *planes, ptrdiff_t plane_size);
void ck_spread8_channel_avx2(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst);
ptrdiff_t ck_pack8_avx2(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst);
void ck_spread8_avx512(const uint8_t *src, ptrdiff_t stride, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t channels,
                       float *planes, ptrdiff_t plane_size);
void ck_spread8_channel_avx512(const uint8_t *row, ptrdiff_t channels, ptrdiff_t channel, ptrdiff_t count, float *dst);
ptrdiff_t ck_pack8_avx512(const float *planes, ptrdiff_t plane_stride, ptrdiff_t channels, ptrdiff_t count, uint8_t *dst);
#endif

#endif
