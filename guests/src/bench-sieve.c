/* bench-sieve: sieve of Eratosthenes.  argv[1] = how many times to sieve
 * (default 20), argv[2] = upper limit (default 1000000).  Prints the prime
 * count, the largest prime and a checksum; byte loads/stores and tight
 * loops dominate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 20;
    long limit = argc > 2 ? atol(argv[2]) : 1000000;
    unsigned char *composite = malloc(limit + 1);
    long count = 0, largest = 0;
    unsigned long check = 0;
    for (int it = 0; it < iters; it++) {
        memset(composite, 0, limit + 1);
        count = 0;
        for (long i = 2; i <= limit; i++) {
            if (composite[i]) continue;
            count++;
            largest = i;
            check = check * 31 + (unsigned long)i;
            for (long j = i * i; j <= limit; j += i) composite[j] = 1;
        }
    }
    printf("primes <= %ld: %ld, largest %ld, checksum %lu (%d iterations)\n", limit, count, largest, check, iters);
    free(composite);
    return 0;
}
