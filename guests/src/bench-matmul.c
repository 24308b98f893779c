/* bench-matmul: dense double-precision matrix multiply C = A*B, n x n
 * (argv[1], default 180), in the cache-friendly i-k-j order, repeated
 * argv[2] times (default 2).  Prints the trace and a few elements with
 * %.17g, so every fmul/fadd (or fused fmadd) result must be bit-exact. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 180;
    int reps = argc > 2 ? atoi(argv[2]) : 2;
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = malloc(sizeof(double) * n * n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 7.0 - 1.0;
            b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 3.0 + 0.125;
        }
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < n * n; i++) c[i] = 0.0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        /* feed the result back so repetitions differ */
        for (int i = 0; i < n * n; i++) a[i] = c[i] / (n * 4.0);
    }
    double trace = 0;
    for (int i = 0; i < n; i++) trace += c[i * n + i];
    printf("n=%d reps=%d trace=%.17g\n", n, reps, trace);
    printf("c[0][0]=%.17g c[n-1][n-1]=%.17g c[n/2][n/3]=%.17g\n", c[0], c[n * n - 1], c[(n / 2) * n + n / 3]);
    free(a); free(b); free(c);
    return 0;
}
