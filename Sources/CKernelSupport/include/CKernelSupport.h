#ifndef CKERNELSUPPORT_H
#define CKERNELSUPPORT_H

/// 8-wide float vector; imports into Swift as SIMD8<Float>.
typedef float ck_f8 __attribute__((ext_vector_type(8)));

/// acc + a * b as one fused multiply-add per lane (vfmadd231ps with AVX2 + FMA).
static inline ck_f8 ck_fma8(ck_f8 a, ck_f8 b, ck_f8 acc) {
    return __builtin_elementwise_fma(a, b, acc);
}

#endif
