/* printf: integer formatting in stdio -- every length modifier, signed and
 * unsigned extremes, bases, field widths, precision, flags (- + space 0 #),
 * '*' widths, %c %s %%, %n, and snprintf truncation.  Also writes a few
 * lines to stderr with fprintf/fputs/fputc. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <stddef.h>
#include <sys/types.h>

/* the truncation below is the point of the test */
#pragma GCC diagnostic ignored "-Wformat-truncation"

int main(void)
{
    puts("[lengths]");
    printf("%hhd %hhu %hd %hu\n", (signed char)-128, (unsigned char)255, (short)-32768, (unsigned short)65535);
    printf("%d %u %x %X %o\n", INT_MIN, UINT_MAX, 0xdeadbeefu, 0xdeadbeefu, 0777u);
    printf("%ld %lu %lx\n", LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
    printf("%lld %llu %llo\n", LLONG_MAX, 0ULL, 01234567012345670123ULL);
    printf("%zu %zd %td %jd %ju\n", (size_t)SIZE_MAX, (ssize_t)-1, (ptrdiff_t)-42, INTMAX_MIN, UINTMAX_MAX);
    printf("%" PRId8 " %" PRIu16 " %" PRIx32 " %" PRIX64 "\n", (int8_t)-1, (uint16_t)65535, (uint32_t)48879, UINT64_C(0xfeedfacecafebeef));

    puts("[widths and flags]");
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d|]\n", 42, 42, 42, 42, 42, -42, 42);
    printf("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%.0d]\n", 7, 7, -7, 0, 1);
    printf("[%#x] [%#X] [%#o] [%#o] [%#x] [%#10x] [%#010x]\n", 255, 255, 8, 0, 0, 255, 255);
    printf("[%*d] [%-*d] [%.*d] [%*.*d]\n", 6, 1, 6, 2, 4, 3, 7, 5, 4);
    printf("[%*d] (negative width from * means left-justify)\n", -6, 9);
    printf("[%c] [%3c] [%-3c] [%%]\n", 'A', 'B', 'C');
    printf("[%s] [%10s] [%-10s] [%.3s] [%10.2s] [%s]\n", "hello", "right", "left", "truncate", "ab", "");

    puts("[return values]");
    int n1, n2;
    int r = printf("abc%ndef%n\n", &n1, &n2);
    printf("printf returned %d, %%n saw %d and %d\n", r, n1, n2);
    char small[8];
    r = snprintf(small, sizeof small, "%s-%d", "overflowing", 12345);
    printf("snprintf wanted %d chars, got \"%s\" (%zu)\n", r, small, strlen(small));
    r = snprintf(NULL, 0, "%lld", LLONG_MIN);
    printf("snprintf(NULL, 0) says %d\n", r);
    char big[64];
    sprintf(big, "%08.3f|%-6s|%x", 3.14159, "ok", 4096);
    puts(big);

    puts("[table]");
    for (int i = -3; i <= 3; i++)
        printf("%3d %4x %6o %+5d %-4u|\n", i * 37, (unsigned)(i * 37) & 0xfff, (unsigned)(i * i * 100), i * 1000, (unsigned)(i + 3));

    fflush(stdout);
    fprintf(stderr, "stderr: %d%%\n", 100);
    fputs("stderr: fputs\n", stderr);
    fputc('!', stderr);
    fputc('\n', stderr);
    printf("last line on stdout\n");
    return 0;
}
