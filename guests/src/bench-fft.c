/* bench-fft: an in-place iterative radix-2 complex FFT in double, as in
 * signal processing: bit-reversal permutation, then log2(n) butterfly passes
 * with twiddle factors from libm's sin and cos.  A signal of n = 2^argv[1]
 * points (default 2^14) is transformed forward and back argv[2] times
 * (default 12), and mixed with a shifted copy of itself after each round so
 * that rounds differ.  Prints the strongest bin, a few values and the
 * round-trip error with %.17g, so every operation must be bit-exact. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

typedef struct { double re, im; } cplx;

static void fft(cplx *x, int n, int inverse)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) { cplx t = x[i]; x[i] = x[j]; x[j] = t; }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double angle = (inverse ? 2 : -2) * M_PI / len;
        cplx w = { cos(angle), sin(angle) };
        for (int i = 0; i < n; i += len) {
            cplx u = { 1, 0 };
            for (int k = 0; k < len / 2; k++) {
                cplx a = x[i + k], b = x[i + k + len / 2];
                cplx t = { b.re * u.re - b.im * u.im, b.re * u.im + b.im * u.re };
                x[i + k] = (cplx){ a.re + t.re, a.im + t.im };
                x[i + k + len / 2] = (cplx){ a.re - t.re, a.im - t.im };
                u = (cplx){ u.re * w.re - u.im * w.im, u.re * w.im + u.im * w.re };
            }
        }
    }
    if (inverse)
        for (int i = 0; i < n; i++) { x[i].re /= n; x[i].im /= n; }
}

int main(int argc, char **argv)
{
    int bits = argc > 1 ? atoi(argv[1]) : 14;
    int rounds = argc > 2 ? atoi(argv[2]) : 12;
    int n = 1 << bits;
    cplx *x = malloc(sizeof *x * n), *orig = malloc(sizeof *x * n);
    for (int i = 0; i < n; i++) {
        /* two tones and a deterministic ramp of noise */
        x[i].re = sin(2 * M_PI * 37 * i / n) + 0.5 * cos(2 * M_PI * 301 * i / n) + (double)(i * 7919 % 1009) / 1009 - 0.5;
        x[i].im = 0;
    }
    double err = 0, power = 0;
    int peak = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) orig[i] = x[i];
        fft(x, n, 0);
        double best = -1;
        power = 0;
        for (int i = 0; i < n; i++) {
            double m = x[i].re * x[i].re + x[i].im * x[i].im;
            power += m;
            if (m > best) { best = m; peak = i; }
        }
        fft(x, n, 1);
        err = 0;
        for (int i = 0; i < n; i++) err = fmax(err, fabs(x[i].re - orig[i].re) + fabs(x[i].im - orig[i].im));
        /* a circular smoothing so the next round transforms a different signal */
        for (int i = 0; i < n; i++) x[i].re = 0.75 * x[i].re + 0.25 * orig[(i + 1) & (n - 1)].re;
    }
    printf("n = %d, %d rounds: peak bin %d, power %.17g\n", n, rounds, peak, power);
    printf("x[1] = %.17g, x[n/3] = %.17g, round-trip error %.17g\n", x[1].re, x[n / 3].re, err);
    return 0;
}
