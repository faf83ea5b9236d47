/* threads.c — THREADS threads allocate, fill, check and free at once.
 *
 *   t-threads [OPS]     operations per thread (default 20000)
 *
 * Each thread keeps its own slots; the blocks left at the end are freed
 * by the main thread (frees from another thread than the one that
 * allocated). Races are timing-dependent, so a pass is evidence, not
 * proof: with libmemkit.so rebuilt with empty mk_lock/mk_unlock, 5 of 6
 * runs of 30000 operations crashed under qemu-i386 (docs/preload.md).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define SLOTS 64

struct work { int id; long ops; unsigned char *slot[SLOTS]; size_t size[SLOTS];
              long bad; };

static void *run(void *arg)
{
    struct work *w = arg;
    uint32_t r = 12345u + (uint32_t)w->id * 7919u;
    long n;
    for (n = 0; n < w->ops; n++) {
        int k;
        r ^= r << 13; r ^= r >> 17; r ^= r << 5;
        k = (int)(r % SLOTS);
        if (w->slot[k]) {
            size_t i;
            for (i = 0; i < w->size[k]; i++)
                if (w->slot[k][i] != (unsigned char)(w->id + k))
                    w->bad++;
            free(w->slot[k]);
            w->slot[k] = NULL;
        } else {
            size_t size = (r >> 8) % 100 == 0 ? 140000 : 1 + (r >> 8) % 1024;
            w->slot[k] = malloc(size);
            if (!w->slot[k]) {
                w->bad++;
                continue;
            }
            w->size[k] = size;
            memset(w->slot[k], w->id + k, size);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static struct work w[THREADS];
    pthread_t t[THREADS];
    long ops = argc > 1 ? strtol(argv[1], NULL, 0) : 20000, bad = 0;
    int i, k;

    for (i = 0; i < THREADS; i++) {
        w[i].id = i;
        w[i].ops = ops;
        if (pthread_create(&t[i], NULL, run, &w[i])) {
            printf("threads: pthread_create failed\n");
            return 1;
        }
    }
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < THREADS; i++) {
        for (k = 0; k < SLOTS; k++)
            free(w[i].slot[k]);
        bad += w[i].bad;
    }
    printf("threads: %d threads x %ld operations, %ld bad bytes\n",
           THREADS, ops, bad);
    return bad != 0;
}
