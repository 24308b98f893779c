/* bench-lu: dense linear algebra in double beyond a plain product, as in a
 * solver: LU factorisation with partial pivoting (row swaps, a division per
 * row, the rank-1 update that dominates), then forward and back substitution
 * for a right-hand side whose solution is known, for an n x n system
 * (argv[1], default 240), repeated argv[2] times (default 4) with the matrix
 * perturbed each time.  Prints the pivot sequence's hash, the determinant's
 * logarithm and the solution's error with %.17g (bit-exact). */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 240;
    int reps = argc > 2 ? atoi(argv[2]) : 4;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n), *x = malloc(sizeof(double) * n);
    int *piv = malloc(sizeof(int) * n);
    unsigned long pivhash = 0;
    double logdet = 0, err = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i * n + j] = (double)((i * 37 + j * 101 + r * 13) % 199) / 50.0 - 2.0 + (i == j ? 0.5 : 0.0);
        /* b = A * (1, 2, ..., n), so the solution is known */
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += a[i * n + j] * (j + 1);
            b[i] = s;
        }
        logdet = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++)
                if (fabs(a[i * n + k]) > fabs(a[p * n + k])) p = i;
            piv[k] = p;
            pivhash = pivhash * 31 + (unsigned long)p;
            if (p != k) {
                for (int j = 0; j < n; j++) { double t = a[k * n + j]; a[k * n + j] = a[p * n + j]; a[p * n + j] = t; }
                double t = b[k]; b[k] = b[p]; b[p] = t;
            }
            double d = a[k * n + k];
            logdet += log(fabs(d));
            for (int i = k + 1; i < n; i++) {
                double l = a[i * n + k] / d;
                a[i * n + k] = l;
                for (int j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
                b[i] -= l * b[k];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
            x[i] = s / a[i * n + i];
        }
        err = 0;
        for (int i = 0; i < n; i++) err = fmax(err, fabs(x[i] - (i + 1)));
    }
    printf("n = %d, %d solves: pivot hash %lu, log|det| %.17g\n", n, reps, pivhash, logdet);
    printf("x[0] = %.17g, x[n-1] = %.17g, max error %.17g\n", x[0], x[n - 1], err);
    return 0;
}
