/* sort-search: qsort and bsearch from libc, with comparators on ints,
 * doubles, strings and structs (qsort is not stable: ties are broken by a
 * second key so the output is fully determined), bsearch hits, misses and
 * edges, and degenerate inputs (empty, one element, all equal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct person { const char *name; int age; };
static int cmp_person(const void *a, const void *b)
{
    const struct person *p = a, *q = b;
    if (p->age != q->age) return p->age - q->age;
    return strcmp(p->name, q->name);
}

int main(void)
{
    enum { N = 5000 };
    static int a[N];
    unsigned seed = 2024;
    for (int i = 0; i < N; i++) {
        seed = seed * 1664525u + 1013904223u;
        a[i] = (int)(seed >> 16) % 10000 - 5000;
    }
    qsort(a, N, sizeof a[0], cmp_int);
    int sorted = 1;
    long sum = 0;
    for (int i = 0; i < N; i++) {
        if (i && a[i - 1] > a[i]) sorted = 0;
        sum += (long)a[i] * (i % 7 + 1);
    }
    printf("ints: sorted=%d min=%d max=%d median=%d weighted=%ld\n", sorted, a[0], a[N - 1], a[N / 2], sum);

    int hits = 0, misses = 0;
    for (int key = -5000; key < 5000; key += 7) {
        int *p = bsearch(&key, a, N, sizeof a[0], cmp_int);
        if (p) {
            hits++;
            if (*p != key) puts("bsearch returned wrong element");
        } else {
            misses++;
        }
    }
    printf("bsearch: %d hits %d misses\n", hits, misses);
    int edge[] = { a[0], a[N - 1], a[0] - 1, a[N - 1] + 1 };
    for (int i = 0; i < 4; i++)
        printf("  bsearch(%d): %s\n", edge[i], bsearch(&edge[i], a, N, sizeof a[0], cmp_int) ? "found" : "absent");

    qsort(a, N, sizeof a[0], cmp_int_desc);
    printf("descending: first %d %d %d last %d\n", a[0], a[1], a[2], a[N - 1]);

    double d[] = { 3.5, -1.25, 1e10, -0.0, 2.75, 1e-10, -7.0, 0.5, 100.0, -1e10 };
    qsort(d, sizeof d / sizeof d[0], sizeof d[0], cmp_double);
    printf("doubles:");
    for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++) printf(" %g", d[i]);
    putchar('\n');

    const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "elderberry",
                            "grape", "Apple", "apricot", "kiwi", "" };
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    printf("strings:");
    for (size_t i = 0; i < nw; i++) printf(" [%s]", words[i]);
    putchar('\n');
    const char *want = "kiwi";
    const char **w = bsearch(&want, words, nw, sizeof words[0], cmp_str);
    printf("bsearch kiwi: index %td\n", w ? w - words : (ptrdiff_t)-1);

    struct person people[] = {
        { "ada", 36 }, { "bob", 25 }, { "cy", 36 }, { "dee", 19 }, { "eve", 25 }, { "al", 36 }, { "zed", 19 },
    };
    size_t np = sizeof people / sizeof people[0];
    qsort(people, np, sizeof people[0], cmp_person);
    for (size_t i = 0; i < np; i++) printf("  %d %s\n", people[i].age, people[i].name);
    struct person key = { "eve", 25 };
    struct person *found = bsearch(&key, people, np, sizeof people[0], cmp_person);
    printf("bsearch eve/25: index %td\n", found ? found - people : (ptrdiff_t)-1);

    /* degenerate inputs */
    qsort(a, 0, sizeof a[0], cmp_int);
    qsort(a, 1, sizeof a[0], cmp_int);
    int same[100];
    for (int i = 0; i < 100; i++) same[i] = 42;
    qsort(same, 100, sizeof same[0], cmp_int);
    printf("degenerate ok: %d\n", same[0] == 42 && same[99] == 42);
    return 0;
}
