/* stdin-raw: copies stdin to stdout with raw read(2)/write(2) in small
 * odd-sized chunks, upper-casing ASCII letters and leaving every other byte
 * (NUL, control characters, UTF-8) untouched, then reports the total byte
 * count and a checksum on stderr.  Tests byte-exact pipes in both
 * directions. */
#include <unistd.h>
#include <stdio.h>
#include <errno.h>

int main(void)
{
    unsigned char buf[7];
    unsigned long total = 0, sum = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("read");
            return 1;
        }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            sum = sum * 257 + buf[i];
            if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, n - off);
            if (w <= 0) { perror("write"); return 1; }
            off += w;
        }
        total += n;
    }
    fprintf(stderr, "stdin-raw: %lu bytes, checksum %lu\n", total, sum);
    return 0;
}
