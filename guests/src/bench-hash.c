/* bench-hash: a chained hash table with string keys, as in a symbol table or
 * a word counter: FNV-1a hashing, strcmp on collisions, malloc'd entries, the
 * table doubling when its load passes 1.  Words are made of pseudo-random
 * syllables (so the same word comes again and again); it counts
 * n = argv[1] (default 250000) words, looks up as many more (about half of
 * them absent), deletes every word whose count is odd, and prints the
 * number of distinct words, the hits, and a checksum over the entries left,
 * independent of the table's order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct entry {
    struct entry *next;
    uint32_t hash;
    long count;
    char key[];
};

static struct entry **table;
static size_t nbuckets = 16, nentries;

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; }
    return h;
}

static void grow(void)
{
    size_t n = nbuckets * 2;
    struct entry **t = calloc(n, sizeof *t);
    for (size_t i = 0; i < nbuckets; i++)
        for (struct entry *e = table[i], *next; e; e = next) {
            next = e->next;
            e->next = t[e->hash & (n - 1)];
            t[e->hash & (n - 1)] = e;
        }
    free(table);
    table = t;
    nbuckets = n;
}

static struct entry *find(const char *key, uint32_t h)
{
    for (struct entry *e = table[h & (nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0) return e;
    return NULL;
}

static void add(const char *key)
{
    uint32_t h = fnv1a(key);
    struct entry *e = find(key, h);
    if (e) { e->count++; return; }
    size_t len = strlen(key);
    e = malloc(sizeof *e + len + 1);
    memcpy(e->key, key, len + 1);
    e->hash = h;
    e->count = 1;
    e->next = table[h & (nbuckets - 1)];
    table[h & (nbuckets - 1)] = e;
    if (++nentries > nbuckets) grow();
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next_random(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* A word of 1 to 4 syllables; `salt` picks a different vocabulary for misses. */
static void word(char *out, int salt)
{
    static const char *const syl[] = {
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zen", "qua", "dor", "fel",
        "gri", "hum", "jin", "pex", "ost", "ul", "yar", "wex", "bo", "ci", "da", "ef",
    };
    uint32_t r = next_random();
    int n = 1 + r % 4;
    out[0] = 0;
    if (salt) strcat(out, "x");
    for (int i = 0; i < n; i++) {
        r /= 4;
        strcat(out, syl[(r + i * 7) % 24]);
        r = r * 2654435761u + next_random();
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 250000;
    char buf[64];
    table = calloc(nbuckets, sizeof *table);
    for (long i = 0; i < n; i++) { word(buf, 0); add(buf); }
    size_t distinct = nentries;
    long hits = 0, found = 0;
    for (long i = 0; i < n; i++) {
        word(buf, i & 1);
        struct entry *e = find(buf, fnv1a(buf));
        if (e) { found++; hits += e->count; }
    }
    /* delete the words with an odd count, unlinking from the chains */
    for (size_t b = 0; b < nbuckets; b++)
        for (struct entry **p = &table[b]; *p;) {
            struct entry *e = *p;
            if (e->count & 1) { *p = e->next; free(e); nentries--; }
            else p = &e->next;
        }
    uint64_t sum = 0;
    for (size_t b = 0; b < nbuckets; b++)
        for (struct entry *e = table[b]; e; e = e->next)
            sum += (uint64_t)fnv1a(e->key) * (uint64_t)e->count;
    printf("%ld words, %zu distinct, %zu buckets\n", n, distinct, nbuckets);
    printf("lookups: %ld found, %ld total count\n", found, hits);
    printf("%zu left after deleting odd counts, checksum %llu\n", nentries, (unsigned long long)sum);
    return 0;
}
