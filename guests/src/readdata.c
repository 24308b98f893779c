/* readdata: reads a data file named on the command line (relative to the
 * working directory, e.g. data/inventory.csv) with stdio.  For .csv files
 * it parses the records (skipping '#' comments, honouring a quoted first
 * field) and prints per-category totals; for any file it prints the size
 * found with fseek/ftell, the line count and a CRC-32 of the bytes read
 * with fread.  A missing file is reported on stderr with exit status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

struct cat { char name[32]; int items; double value; };

static void parse_csv(FILE *f)
{
    struct cat cats[16];
    int ncat = 0, records = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char name[64], category[32];
        int qty;
        double price;
        char *p = line;
        if (*p == '"') {                   /* quoted name may contain spaces */
            char *end = strchr(p + 1, '"');
            if (!end) continue;
            snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
            p = end + 2;
        } else {
            char *comma = strchr(p, ',');
            if (!comma) continue;
            snprintf(name, sizeof name, "%.*s", (int)(comma - p), p);
            p = comma + 1;
        }
        if (sscanf(p, "%d,%lf,%31[^,\n]", &qty, &price, category) != 3) {
            printf("  bad record: %s", line);
            continue;
        }
        records++;
        printf("  %-14s %4d x %6.2f = %8.2f  [%s]\n", name, qty, price, qty * price, category);
        int c;
        for (c = 0; c < ncat; c++)
            if (strcmp(cats[c].name, category) == 0) break;
        if (c == ncat && ncat < 16) {
            snprintf(cats[ncat].name, sizeof cats[ncat].name, "%s", category);
            cats[ncat].items = 0;
            cats[ncat].value = 0;
            ncat++;
        }
        cats[c].items += qty;
        cats[c].value += qty * price;
    }
    printf("%d records\n", records);
    for (int c = 0; c < ncat; c++)
        printf("  %-10s items %4d value %8.2f\n", cats[c].name, cats[c].items, cats[c].value);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/inventory.csv";
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "readdata: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    printf("%s: %ld bytes\n", path, size);

    size_t len = strlen(path);
    if (len > 4 && strcmp(path + len - 4, ".csv") == 0) {
        parse_csv(f);
        rewind(f);
    }

    unsigned char buf[100];   /* small on purpose: many fread calls */
    size_t n, total = 0;
    unsigned lines = 0;
    uint32_t crc = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crc = crc32(crc, buf, n);
        for (size_t i = 0; i < n; i++) lines += buf[i] == '\n';
        total += n;
    }
    printf("read %zu bytes, %u lines, crc32 %08x\n", total, lines, crc);
    fclose(f);
    return 0;
}
