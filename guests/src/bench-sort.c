/* bench-sort: sorts an array of argv[1] (default 200000) pseudo-random
 * 64-bit keys three ways -- a hand-written quicksort (median of three,
 * insertion sort for small ranges), a bottom-up merge sort, and an LSD
 * radix sort -- and checks that all three agree.  Memory-bound, with
 * data-dependent branches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void insertion(uint64_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint64_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quick(uint64_t *a, long n)
{
    while (n > 16) {
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        /* recurse into the smaller part, loop on the larger */
        if (j + 1 < n - j - 1) { quick(a, j + 1); a += j + 1; n -= j + 1; }
        else { quick(a + j + 1, n - j - 1); n = j + 1; }
    }
    insertion(a, n);
}

static void merge_sort(uint64_t *a, uint64_t *tmp, long n)
{
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n;
            long hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static void radix(uint64_t *a, uint64_t *tmp, long n)
{
    for (int shift = 0; shift < 64; shift += 16) {
        static long count[65537];
        memset(count, 0, sizeof count);
        for (long i = 0; i < n; i++) count[((a[i] >> shift) & 0xffff) + 1]++;
        for (int b = 0; b < 65536; b++) count[b + 1] += count[b];
        for (long i = 0; i < n; i++) tmp[count[(a[i] >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    uint64_t *c = malloc(n * sizeof *c), *tmp = malloc(n * sizeof *tmp);
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (long i = 0; i < n; i++) {
        s ^= s >> 12; s ^= s << 25; s ^= s >> 27;      /* xorshift64* */
        a[i] = s * 0x2545f4914f6cdd1dull;
        if (i % 10 == 0) a[i] >>= 40;                   /* some small keys and duplicates */
    }
    memcpy(b, a, n * sizeof *a);
    memcpy(c, a, n * sizeof *a);
    quick(a, n);
    merge_sort(b, tmp, n);
    radix(c, tmp, n);
    long unsorted = 0;
    for (long i = 1; i < n; i++) unsorted += a[i - 1] > a[i];
    uint64_t h = 0;
    for (long i = 0; i < n; i++) h = h * 1000003 + a[i];
    printf("n=%ld unsorted=%ld quick==merge %d quick==radix %d\n", n, unsorted,
           memcmp(a, b, n * sizeof *a) == 0, memcmp(a, c, n * sizeof *a) == 0);
    printf("min %016llx median %016llx max %016llx hash %016llx\n", (unsigned long long)a[0],
           (unsigned long long)a[n / 2], (unsigned long long)a[n - 1], (unsigned long long)h);
    free(a); free(b); free(c); free(tmp);
    return 0;
}
