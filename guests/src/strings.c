/* strings: <string.h>, <ctype.h> and <stdlib.h> string routines -- lengths,
 * copies (including overlapping memmove), comparisons whose sign matters,
 * searching, tokenising, case conversion, number parsing with strtol/strtoul
 * in several bases (with overflow and errno), and the vectorised paths of
 * glibc's word-at-a-time mem* code at every alignment. */
#define _GNU_SOURCE   /* memrchr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>

#pragma GCC diagnostic ignored "-Wstringop-truncation"

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void)
{
    char buf[128];

    puts("[basic]");
    printf("strlen: %zu %zu %zu\n", strlen(""), strlen("a"), strlen("hello, world"));
    printf("strnlen: %zu %zu\n", strnlen("abcdef", 3), strnlen("ab", 10));
    strcpy(buf, "foo");
    strcat(buf, "bar");
    strncat(buf, "bazqux", 3);
    printf("strcpy/strcat/strncat: %s\n", buf);
    memset(buf, 'x', 10);
    strncpy(buf, "ab", 5);   /* pads with NULs */
    printf("strncpy pads: %d %d %d %c\n", buf[2], buf[3], buf[4], buf[5]);
    char *d = strdup("duplicate me");
    char *nd = strndup("duplicate me", 9);
    printf("strdup: %s / strndup: %s\n", d, nd);
    free(d); free(nd);

    puts("[compare]");
    printf("strcmp: %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("abc", "abc")),
           sign(strcmp("b", "abc")), sign(strcmp("\xff", "\x01")));
    printf("strncmp: %d %d\n", sign(strncmp("abcX", "abcY", 3)), sign(strncmp("abcX", "abcY", 4)));
    printf("memcmp: %d %d\n", sign(memcmp("\x80", "\x7f", 1)), sign(memcmp("same", "same", 4)));
    printf("strcasecmp: %d %d\n", sign(strcasecmp("HeLLo", "hello")), sign(strcasecmp("a", "B")));

    puts("[search]");
    const char *s = "the quick brown fox jumps over the lazy dog";
    printf("strchr o: %td, strrchr o: %td, strchr NUL: %td\n", strchr(s, 'o') - s, strrchr(s, 'o') - s, strchr(s, 0) - s);
    printf("strstr the: %td, strstr lazy: %td, strstr cat: %s\n",
           strstr(s + 1, "the") - s, strstr(s, "lazy") - s, strstr(s, "cat") ? "found" : "none");
    printf("memchr z: %td, memrchr e: %td\n", (char *)memchr(s, 'z', strlen(s)) - s, (char *)memrchr(s, 'e', strlen(s)) - s);
    printf("strspn: %zu strcspn: %zu strpbrk: %s\n", strspn(s, "the "), strcspn(s, "xyz"), strpbrk(s, "qz"));

    puts("[tokens]");
    char line[] = "  alpha,beta;;gamma , delta  ";
    char *save, *tok;
    int n = 0;
    for (tok = strtok_r(line, " ,;", &save); tok; tok = strtok_r(NULL, " ,;", &save))
        printf("  token %d: [%s]\n", n++, tok);
    char path[] = "/usr//local/bin/";
    char *p = path, *part;
    while ((part = strsep(&p, "/")) != NULL)
        printf("  strsep: [%s]\n", part);

    puts("[ctype]");
    char mixed[] = "Hello, World! 123 _x\t";
    for (char *c = mixed; *c; c++) {
        putchar(isupper((unsigned char)*c) ? tolower((unsigned char)*c) : toupper((unsigned char)*c));
    }
    putchar('\n');
    int counts[5] = { 0 };
    for (int c = 0; c < 256; c++) {
        counts[0] += isalpha(c) != 0; counts[1] += isdigit(c) != 0; counts[2] += isspace(c) != 0;
        counts[3] += ispunct(c) != 0; counts[4] += isprint(c) != 0;
    }
    printf("alpha %d digit %d space %d punct %d print %d\n", counts[0], counts[1], counts[2], counts[3], counts[4]);

    puts("[numbers]");
    static const char *nums[] = { "42", "-17", "0x1F", "0755", "  +99xyz", "9223372036854775807",
                                   "9223372036854775808", "-9223372036854775809", "abc", "1e3" };
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, 0);
        int e = errno;
        printf("  strtol(\"%s\", 0) = %ld, consumed %td, errno %s\n", nums[i], v, end - nums[i],
               e == ERANGE ? "ERANGE" : e ? "other" : "0");
    }
    errno = 0;
    unsigned long ul = strtoul("-1", NULL, 10);
    printf("  strtoul(-1) = %lu errno %d\n", ul, errno);
    printf("  strtol base 2/36: %ld %ld\n", strtol("101101", NULL, 2), strtol("zz", NULL, 36));
    printf("  atoi: %d %d, atol: %ld\n", atoi("123abc"), atoi("-0"), atol("  -2147483649"));
    printf("  strtoull(0xffffffffffffffff) = %llu\n", strtoull("0xffffffffffffffff", NULL, 16));

    puts("[mem* at every alignment]");
    static unsigned char src[300], dst[300];
    unsigned long sum = 0;
    for (int i = 0; i < 300; i++) src[i] = (unsigned char)(i * 13 + 7);
    for (int so = 0; so < 16; so++)
        for (int doff = 0; doff < 16; doff++)
            for (int len = 0; len < 70; len += 3) {
                memset(dst, 0, sizeof dst);
                memcpy(dst + doff, src + so, len);
                sum = sum * 3 + (unsigned long)memcmp(dst + doff, src + so, len) + dst[doff + len / 2] + len;
            }
    printf("  memcpy checksum %lu\n", sum);
    /* overlapping moves in both directions */
    for (int i = 0; i < 64; i++) buf[i] = (char)('A' + i % 26);
    memmove(buf + 5, buf, 30);
    memmove(buf + 40, buf + 43, 20);
    buf[64] = 0;
    printf("  memmove: %s\n", buf);
    memset(buf, '-', 37);
    buf[37] = 0;
    printf("  memset: %s (%zu)\n", buf, strlen(buf));
    return 0;
}
