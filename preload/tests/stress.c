/* stress.c — seeded random malloc/free/realloc/calloc, contents verified.
 *
 *   t-stress [SEED [OPS]]      defaults: seed 1, 4000 operations
 *
 * Keeps SLOTS live blocks of 1 byte to 1 MiB. Every block is filled with
 * a pattern derived from its slot and generation, and checked in full
 * before it is freed or after it is reallocated (the kept prefix).
 * calloc blocks are checked to be zero first. Sizes: mostly small, some
 * medium, a few at or above the 128 KiB mmap threshold.
 *
 * The output depends only on SEED and OPS, never on addresses, so it is
 * the same with glibc's malloc and with libmemkit.so. Exit 1 on the first
 * wrong byte, with its slot and offset. With STRESS_PEAK=1 in the
 * environment it also writes the process's peak resident memory (VmHWM
 * from /proc/self/status) to stderr at the end (tools/preload-bench).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256

static uint32_t rng;
static uint32_t next(void)          /* xorshift32 */
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static size_t pick_size(void)
{
    uint32_t r = next() % 1000;
    if (r < 700) return 1 + next() % 256;
    if (r < 950) return 257 + next() % 8000;
    if (r < 990) return 8257 + next() % 120000;
    return 131072 + next() % (1048576 - 131072 + 1);
}

struct slot { unsigned char *p; size_t size; uint32_t gen; };
static struct slot slots[SLOTS];
static unsigned long long checked, ops_by_kind[4];

static unsigned char pat(size_t i, uint32_t gen)
{
    return (unsigned char)(gen * 31u + i * 7u + (i >> 8));
}

static void fill(struct slot *s)
{
    size_t i;
    for (i = 0; i < s->size; i++)
        s->p[i] = pat(i, s->gen);
}

static void verify(const struct slot *s, size_t n, int slot)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s->p[i] != pat(i, s->gen)) {
            printf("stress: slot %d byte %zu of %zu: got %u, expected %u\n",
                   slot, i, s->size, s->p[i], pat(i, s->gen));
            exit(1);
        }
    checked += n;
}

static void report_peak(void)
{
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            fputs(line, stderr);
    fclose(f);
}

int main(int argc, char **argv)
{
    uint32_t seed = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1;
    long ops = argc > 2 ? strtol(argv[2], NULL, 0) : 4000;
    uint32_t gen = 0;
    unsigned long long sum = 0;
    long n;
    int i;

    rng = seed ? seed : 1;
    for (n = 0; n < ops; n++) {
        int k = (int)(next() % SLOTS);
        struct slot *s = &slots[k];
        uint32_t what = next() % 4;
        if (!s->p) {
            size_t size = pick_size();
            if (what < 2) {
                s->p = malloc(size);
                ops_by_kind[0]++;
            } else {
                size_t j;
                s->p = calloc(1, size);
                ops_by_kind[2]++;
                for (j = 0; s->p && j < size; j++)
                    if (s->p[j]) {
                        printf("stress: calloc(%zu) byte %zu not zero\n",
                               size, j);
                        return 1;
                    }
            }
            if (!s->p) {
                printf("stress: allocation of %zu bytes failed\n", size);
                return 1;
            }
            s->size = size;
            s->gen = ++gen;
            fill(s);
        } else if (what < 2) {
            verify(s, s->size, k);
            free(s->p);
            ops_by_kind[1]++;
            s->p = NULL;
        } else {
            size_t size = pick_size();
            unsigned char *q;
            size_t j, keep = size < s->size ? size : s->size;
            q = realloc(s->p, size);
            ops_by_kind[3]++;
            if (!q) {
                printf("stress: realloc to %zu bytes failed\n", size);
                return 1;
            }
            s->p = q;
            verify(s, keep, k);
            /* refill with a new generation, the kept bytes included */
            s->size = size;
            s->gen = ++gen;
            for (j = 0; j < size; j++)
                s->p[j] = pat(j, s->gen);
        }
    }
    for (i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            verify(&slots[i], slots[i].size, i);
            sum += slots[i].size;
            free(slots[i].p);
        }
    printf("stress: seed %u, %ld operations: %llu malloc, %llu calloc, "
           "%llu realloc, %llu free\n", seed, ops, ops_by_kind[0],
           ops_by_kind[2], ops_by_kind[3], ops_by_kind[1]);
    printf("stress: %llu bytes verified, %llu bytes live at the end, ok\n",
           checked, sum);
    if (getenv("STRESS_PEAK"))
        report_peak();
    return 0;
}
