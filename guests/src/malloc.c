/* malloc: heap patterns -- thousands of small allocations of varying sizes
 * freed in a scrambled order, calloc zeroing, realloc growth and shrinking
 * (contents preserved), and large blocks that glibc serves with mmap (and
 * returns with munmap) rather than brk.  Each block is filled with a
 * pattern derived from its index and verified before it is freed; only
 * counts and checksums are printed, never addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <malloc.h>

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 31 + i * 7);
}
static int check(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 31 + i * 7)) return 0;
    return 1;
}

#define NSMALL 4000

int main(void)
{
    static unsigned char *blk[NSMALL];
    static size_t sz[NSMALL];
    size_t total = 0;
    unsigned bad = 0;

    /* many small blocks, every 16-byte alignment checked */
    unsigned misaligned = 0;
    for (int i = 0; i < NSMALL; i++) {
        sz[i] = 1 + next() % 300;
        blk[i] = malloc(sz[i]);
        if (!blk[i]) { puts("malloc failed"); return 1; }
        if ((uintptr_t)blk[i] % 16) misaligned++;
        fill(blk[i], sz[i], i);
        total += sz[i];
    }
    printf("small: %d blocks, %zu bytes, %u misaligned\n", NSMALL, total, misaligned);

    /* free every third block, then reallocate them with new sizes */
    for (int i = 0; i < NSMALL; i += 3) {
        bad += !check(blk[i], sz[i], i);
        free(blk[i]);
        sz[i] = 1 + next() % 1000;
        blk[i] = malloc(sz[i]);
        fill(blk[i], sz[i], i);
    }
    /* grow and shrink some with realloc; the common prefix must survive */
    for (int i = 1; i < NSMALL; i += 5) {
        size_t nsz = (i % 2) ? sz[i] * 3 + 17 : sz[i] / 2 + 1;
        size_t keep = nsz < sz[i] ? nsz : sz[i];
        blk[i] = realloc(blk[i], nsz);
        bad += !check(blk[i], keep, i);
        sz[i] = nsz;
        fill(blk[i], sz[i], i);
    }
    /* free everything in a scrambled order */
    for (int k = 0; k < NSMALL; k++) {
        int i = (k * 1237) % NSMALL;   /* 1237 is coprime with 4000 */
        bad += !check(blk[i], sz[i], i);
        free(blk[i]);
        blk[i] = NULL;
    }
    printf("small: verify failures %u\n", bad);

    /* calloc must return zeroed memory, also when reusing freed blocks */
    unsigned nonzero = 0;
    for (int round = 0; round < 3; round++) {
        unsigned char *p = calloc(1000, 37);
        for (size_t i = 0; i < 37000; i++) nonzero += p[i] != 0;
        memset(p, 0xff, 37000);
        free(p);
    }
    printf("calloc: %u nonzero bytes\n", nonzero);

    /* large blocks: above the mmap threshold, touched sparsely and fully */
    static const size_t large[] = { 200 * 1024, 1 << 20, 5 << 20, (16 << 20) + 12345 };
    unsigned char *lp[4];
    uint64_t sum = 0;
    for (int i = 0; i < 4; i++) {
        lp[i] = malloc(large[i]);
        if (!lp[i]) { puts("large malloc failed"); return 1; }
        for (size_t j = 0; j < large[i]; j += 4096) lp[i][j] = (unsigned char)(j >> 12);
        lp[i][large[i] - 1] = 0xab;
    }
    for (int i = 0; i < 4; i++) {
        for (size_t j = 0; j < large[i]; j += 4096) sum += lp[i][j];
        sum += lp[i][large[i] - 1];
    }
    printf("large: checksum %llu\n", (unsigned long long)sum);
    /* realloc a large block bigger (mremap path) and check both ends */
    lp[1] = realloc(lp[1], 3 << 20);
    printf("large realloc: first page byte %u, old last byte %u\n", lp[1][4096], lp[1][(1 << 20) - 1]);
    memset(lp[1] + (1 << 20), 0x11, (2 << 20));
    printf("large realloc: new tail byte %#x\n", lp[1][(3 << 20) - 1]);
    for (int i = 0; i < 4; i++) free(lp[i]);

    /* a big calloc is fresh mmap memory */
    unsigned char *z = calloc(1, 8 << 20);
    nonzero = 0;
    for (size_t i = 0; i < (8 << 20); i += 512) nonzero += z[i] != 0;
    free(z);
    printf("big calloc: %u nonzero samples\n", nonzero);

    /* aligned allocations */
    void *a1 = aligned_alloc(4096, 8192), *a2 = memalign(256, 100), *a3 = NULL;
    int pm = posix_memalign(&a3, 64, 1000);
    printf("aligned: %d %d %d pm=%d\n", (int)((uintptr_t)a1 % 4096), (int)((uintptr_t)a2 % 256),
           (int)((uintptr_t)a3 % 64), pm);
    free(a1); free(a2); free(a3);

    /* a linked list built and torn down a few times */
    struct node { struct node *next; long v; };
    long lsum = 0;
    for (int round = 0; round < 5; round++) {
        struct node *head = NULL;
        for (long i = 0; i < 10000; i++) {
            struct node *n = malloc(sizeof *n);
            n->v = i * round;
            n->next = head;
            head = n;
        }
        while (head) {
            struct node *n = head->next;
            lsum += head->v;
            free(head);
            head = n;
        }
    }
    printf("list: sum %ld\n", lsum);
    printf("malloc(0) is %s\n", malloc(0) ? "non-NULL" : "NULL");
    return 0;
}
