/* bench-list: pointer chasing, where every load's address comes from the
 * load before, as in a garbage collector's mark phase or a linked data
 * structure walk.  With n = argv[1] (default 100000):
 *  - a ring of n nodes linked in one random cycle (Sattolo's shuffle), walked
 *    20 times round, summing the payloads;
 *  - the Josephus problem on a doubly linked circular list of n malloc'd
 *    nodes: every 7th node unlinked and freed until one is left;
 *  - an unbalanced binary search tree of n random keys: inserted, each looked
 *    up once, and summed in order by an explicit-stack walk.
 * Prints each result. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static uint64_t rng = 0x2545f4914f6cdd1du;
static uint64_t next_random(void)
{
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1du;
}

struct ring { struct ring *next; long payload; };

static long ring_walk(long n)
{
    struct ring *nodes = malloc(sizeof *nodes * n);
    long *order = malloc(sizeof *order * n);
    for (long i = 0; i < n; i++) order[i] = i;
    /* Sattolo: a random permutation that is a single cycle */
    for (long i = n - 1; i > 0; i--) {
        long j = (long)(next_random() % (uint64_t)i);
        long t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (long i = 0; i < n; i++) {
        nodes[i].next = &nodes[order[i]];
        nodes[i].payload = i * 3 + 1;
    }
    long sum = 0;
    struct ring *p = nodes;
    for (long step = 0; step < 20 * n; step++) {
        sum += p->payload;
        p = p->next;
    }
    free(order);
    free(nodes);
    return sum;
}

struct dnode { struct dnode *prev, *next; long id; };

static long josephus(long n, int k)
{
    struct dnode *head = NULL;
    for (long i = 0; i < n; i++) {
        struct dnode *d = malloc(sizeof *d);
        d->id = i + 1;
        if (!head) { d->prev = d->next = d; head = d; }
        else { d->next = head; d->prev = head->prev; head->prev->next = d; head->prev = d; }
    }
    struct dnode *p = head->prev;
    while (p->next != p) {
        for (int i = 1; i < k; i++) p = p->next;
        struct dnode *dead = p->next;
        p->next = dead->next;
        dead->next->prev = p;
        free(dead);
    }
    long survivor = p->id;
    free(p);
    return survivor;
}

struct tnode { struct tnode *left, *right; uint64_t key; };

static struct tnode *insert(struct tnode *root, uint64_t key)
{
    struct tnode **at = &root;
    while (*at) at = key < (*at)->key ? &(*at)->left : &(*at)->right;
    struct tnode *t = malloc(sizeof *t);
    t->left = t->right = NULL;
    t->key = key;
    *at = t;
    return root;
}

static int contains(const struct tnode *t, uint64_t key)
{
    while (t && t->key != key) t = key < t->key ? t->left : t->right;
    return t != NULL;
}

static void tree(long n, long *found, uint64_t *ordered)
{
    uint64_t *keys = malloc(sizeof *keys * n);
    struct tnode *root = NULL;
    for (long i = 0; i < n; i++) {
        keys[i] = next_random() >> 20;
        root = insert(root, keys[i]);
    }
    *found = 0;
    for (long i = 0; i < n; i++) *found += contains(root, keys[i] ^ (uint64_t)(i & 1));
    /* in-order walk with an explicit stack: a checksum that depends on the order */
    struct tnode **stack = malloc(sizeof *stack * (n + 1));
    int sp = 0;
    uint64_t h = 0;
    for (struct tnode *t = root; t || sp;) {
        if (t) { stack[sp++] = t; t = t->left; continue; }
        t = stack[--sp];
        h = h * 1000003u + t->key;
        struct tnode *right = t->right;
        free(t);
        t = right;
    }
    *ordered = h;
    free(stack);
    free(keys);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    printf("ring of %ld, 20 laps: sum %ld\n", n, ring_walk(n));
    printf("josephus(%ld, 7): survivor %ld\n", n, josephus(n, 7));
    long found;
    uint64_t ordered;
    tree(n, &found, &ordered);
    printf("tree of %ld: %ld found, in-order hash %llu\n", n, found, (unsigned long long)ordered);
    return 0;
}
