#ifndef CKERNELSUPPORT_H
#define CKERNELSUPPORT_H

/// 8-wide float vector; imports into Swift as SIMD8<Float>.
typedef float ck_f8 __attribute__((ext_vector_type(8)));

/// acc + a * b as one fused multiply-add per lane (vfmadd231ps with AVX2 + FMA).
/// Swift's own `addingProduct` is not reliable here (see docs: it can become libm calls or split vectors),
/// so every FMA in the kernels goes through this header.
static inline __attribute__((always_inline)) ck_f8 ck_fma8(ck_f8 a, ck_f8 b, ck_f8 acc) {
    return __builtin_elementwise_fma(a, b, acc);
}

/// Asks for the cache line holding `address` to be brought into L1 for writing (a hint; never faults).
static inline __attribute__((always_inline)) void ck_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// A hint to the CPU that the caller is in a spin-wait loop (x86 `pause`); a no-op elsewhere.
static inline __attribute__((always_inline)) void ck_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// 8-wide int vector: comparison masks (-1 true, 0 false) and exponent bits.
typedef int ck_i8 __attribute__((ext_vector_type(8)));

/// Per lane: `mask ? a : b` (mask lanes are -1 or 0).
static inline __attribute__((always_inline)) ck_f8 ck_select8(ck_i8 mask, ck_f8 a, ck_f8 b) {
    return (ck_f8)((mask & (ck_i8)a) | (~mask & (ck_i8)b));
}

/// Square root per lane (vsqrtps), with no errno path.
static inline __attribute__((always_inline)) ck_f8 ck_sqrt8(ck_f8 x) {
    return __builtin_elementwise_sqrt(x);
}

/// e^x per lane, within ~2 ulp of libm for normal results (the algorithm is described at `Activations.exp`):
/// e^x = 2^n · e^r, n = round(x / ln 2), r = x − n·ln 2 with ln 2 in two parts, e^r a degree-7 Taylor
/// polynomial, 2^n built from exponent bits in two halves. Here, in C, so it inlines into every caller in
/// every module (Swift leaves cross-module calls to a function this size out of line).
static inline __attribute__((always_inline)) ck_f8 ck_exp8(ck_f8 x) {
    const ck_f8 lowest = -104.0f, highest = 89.0f;
    ck_f8 clamped = ck_select8(x < lowest, lowest, x);
    clamped = ck_select8(clamped > highest, highest, clamped);
    const ck_f8 roundingShift = 12582912.0f;  // 1.5 · 2^23: adding it rounds to an integer in the low bits
    ck_f8 shifted = ck_fma8(clamped, (ck_f8)1.44269504f, roundingShift);
    ck_f8 n = shifted - roundingShift;
    ck_f8 r = ck_fma8(n, (ck_f8)-0.693359375f, clamped);
    r = ck_fma8(n, (ck_f8)2.1219444e-4f, r);
    ck_f8 p = 1.0f / 5040.0f;
    p = ck_fma8(p, r, (ck_f8)(1.0f / 720.0f));
    p = ck_fma8(p, r, (ck_f8)(1.0f / 120.0f));
    p = ck_fma8(p, r, (ck_f8)(1.0f / 24.0f));
    p = ck_fma8(p, r, (ck_f8)(1.0f / 6.0f));
    p = ck_fma8(p, r, (ck_f8)0.5f);
    p = ck_fma8(p, r, (ck_f8)1.0f);
    p = ck_fma8(p, r, (ck_f8)1.0f);
    ck_i8 integer = (ck_i8)shifted - 0x4B400000;
    ck_i8 firstHalf = integer >> 1;
    ck_i8 secondHalf = integer - firstHalf;
    ck_f8 firstScale = (ck_f8)((firstHalf + 127) << 23);
    ck_f8 secondScale = (ck_f8)((secondHalf + 127) << 23);
    ck_f8 result = (p * firstScale) * secondScale;
    return ck_select8(x != x, x, result);
}

/// 1 / (1 + e^−x) per lane.
static inline __attribute__((always_inline)) ck_f8 ck_sigmoid8(ck_f8 x) {
    return 1.0f / (1.0f + ck_exp8(-x));
}

/// tanh(x) per lane: the odd Taylor polynomial to x⁹ for |x| < 0.25, else sign(x) · (1 − 2 / (e^{2|x|} + 1)).
static inline __attribute__((always_inline)) ck_f8 ck_tanh8(ck_f8 x) {
    ck_i8 bits = (ck_i8)x;
    ck_f8 magnitude = (ck_f8)(bits & 0x7FFFFFFF);
    ck_f8 large = 1.0f - 2.0f / (ck_exp8(magnitude + magnitude) + 1.0f);
    ck_f8 square = x * x;
    ck_f8 odd = 62.0f / 2835.0f;
    odd = ck_fma8(odd, square, (ck_f8)(-17.0f / 315.0f));
    odd = ck_fma8(odd, square, (ck_f8)(2.0f / 15.0f));
    odd = ck_fma8(odd, square, (ck_f8)(-1.0f / 3.0f));
    ck_f8 small = ck_fma8(odd * square, x, x);
    ck_f8 signedLarge = (ck_f8)((ck_i8)large | (bits & (int)0x80000000));
    return ck_select8(magnitude < 0.25f, small, signedLarge);
}

/// 8×8 transpose: on return `out[j][r] == rows[r][j]`.
static inline __attribute__((always_inline)) void ck_transpose8x8(const ck_f8 rows[8], ck_f8 out[8]) {
    ck_f8 t0 = __builtin_shufflevector(rows[0], rows[1], 0, 8, 1, 9, 4, 12, 5, 13);
    ck_f8 t1 = __builtin_shufflevector(rows[0], rows[1], 2, 10, 3, 11, 6, 14, 7, 15);
    ck_f8 t2 = __builtin_shufflevector(rows[2], rows[3], 0, 8, 1, 9, 4, 12, 5, 13);
    ck_f8 t3 = __builtin_shufflevector(rows[2], rows[3], 2, 10, 3, 11, 6, 14, 7, 15);
    ck_f8 t4 = __builtin_shufflevector(rows[4], rows[5], 0, 8, 1, 9, 4, 12, 5, 13);
    ck_f8 t5 = __builtin_shufflevector(rows[4], rows[5], 2, 10, 3, 11, 6, 14, 7, 15);
    ck_f8 t6 = __builtin_shufflevector(rows[6], rows[7], 0, 8, 1, 9, 4, 12, 5, 13);
    ck_f8 t7 = __builtin_shufflevector(rows[6], rows[7], 2, 10, 3, 11, 6, 14, 7, 15);
    ck_f8 s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    ck_f8 s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    ck_f8 s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    ck_f8 s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    ck_f8 s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    ck_f8 s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    ck_f8 s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    ck_f8 s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    out[0] = __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11);
    out[1] = __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11);
    out[2] = __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11);
    out[3] = __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11);
    out[4] = __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15);
    out[5] = __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15);
    out[6] = __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15);
    out[7] = __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/// Packs `height` (1…8) rows of A for a micro-kernel tile, depth-major: `destination[p * height + r] =
/// source[r * rowStride + p]` for p < depth. Eight steps of depth at a time go through an 8×8 transpose and
/// eight overlapping 8-wide stores (each store's lanes past `height` are overwritten by the next), so up to
/// 8 floats past `destination + height * depth` may be written: the destination needs that much room.
static inline __attribute__((always_inline)) void ck_pack_rows(
    long height, long depth, const float *source, long rowStride, float *destination
) {
    long p = 0;
    for (; p + 8 <= depth; p += 8) {
        ck_f8 rows[8], columns[8];
        for (long r = 0; r < 8; r++) {
            const float *row = source + (r < height ? r : 0) * rowStride + p;
            __builtin_memcpy(&rows[r], row, sizeof(ck_f8));
        }
        ck_transpose8x8(rows, columns);
        float *target = destination + p * height;
        for (long j = 0; j < 8; j++) __builtin_memcpy(target + j * height, &columns[j], sizeof(ck_f8));
    }
    for (; p < depth; p++) {
        for (long r = 0; r < height; r++) destination[p * height + r] = source[r * rowStride + p];
    }
}

#endif
