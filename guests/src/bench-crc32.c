/* bench-crc32: table-driven CRC-32 (the zlib polynomial) and FNV-1a over a
 * 64 KiB pseudo-random buffer.  argv[1] = passes over the buffer (default
 * 250).  Loads, shifts, xors and table lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    while (n--) { h ^= *p++; h *= 0x100000001b3ull; }
    return h;
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 250;
    enum { SIZE = 64 * 1024 };
    static unsigned char buf[SIZE];
    uint32_t x = 0x12345678;
    for (int i = 0; i < SIZE; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;   /* xorshift32 */
        buf[i] = (unsigned char)x;
    }
    make_table();
    printf("crc32 of \"123456789\" = %08x\n", crc32(0, (const unsigned char *)"123456789", 9));
    uint32_t crc = 0;
    uint64_t h = 0xcbf29ce484222325ull;
    for (int p = 0; p < passes; p++) {
        crc = crc32(crc, buf, SIZE);
        h = fnv1a(h, buf, SIZE);
        buf[p % SIZE] ^= (unsigned char)crc;   /* each pass sees different data */
    }
    printf("%d passes over %d bytes: crc32 %08x fnv1a %016llx\n", passes, SIZE, crc, (unsigned long long)h);
    return 0;
}
