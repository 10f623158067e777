/* thinc's C-level sgemm and saxpy (thinc/backends/cblas.pxd) on numpy's OpenBLAS.
 *
 * spaCy's parser and entity recogniser call these through a thinc CBlas at every step of
 * their C loop; thinc fills it with BLIS, whose wheel runs generic reference kernels.
 * accord.nlp.blas loads this library with ctypes, hands it OpenBLAS's cblas_sgemm (found in
 * the library numpy loaded) and puts the two functions below into a CBlas with thinc's own
 * set_sgemm and set_saxpy.  No Python API: a plain shared library. */
#include <stdint.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm64_t)(int, int, int, int64_t, int64_t, int64_t, float, const float *, int64_t,
                          const float *, int64_t, float, float *, int64_t);
typedef void (*sgemm32_t)(int, int, int, int32_t, int32_t, int32_t, float, const float *, int32_t,
                          const float *, int32_t, float, float *, int32_t);

static void *openblas_sgemm = 0;
static int integer_bits = 0;

/* OpenBLAS's cblas_sgemm, and the width of its integers (64 for numpy's own build). */
int accord_use_sgemm(void *sgemm, int bits) {
    if (sgemm == 0 || (bits != 32 && bits != 64))
        return -1;
    openblas_sgemm = sgemm;
    integer_bits = bits;
    return 0;
}

/* thinc's sgemm_ptr: row-major C = alpha * op(A) op(B) + beta * C. */
void accord_sgemm(int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda,
                  const float *B, int ldb, float beta, float *C, int ldc) {
    int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
    if (integer_bits == 64)
        ((sgemm64_t)openblas_sgemm)(ROW_MAJOR, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        ((sgemm32_t)openblas_sgemm)(ROW_MAJOR, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/* thinc's saxpy_ptr: Y += alpha * X, for the short vectors the parser sums (a state's features);
 * a negative increment walks its vector from the end, as in BLAS. */
void accord_saxpy(int N, float alpha, const float *X, int incX, float *Y, int incY) {
    if (incX == 1 && incY == 1) {
        for (int i = 0; i < N; i++)
            Y[i] += alpha * X[i];
        return;
    }
    int64_t x = incX < 0 ? (int64_t)(N - 1) * -incX : 0, y = incY < 0 ? (int64_t)(N - 1) * -incY : 0;
    for (int i = 0; i < N; i++, x += incX, y += incY)
        Y[y] += alpha * X[x];
}
