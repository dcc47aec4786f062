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

#endif
