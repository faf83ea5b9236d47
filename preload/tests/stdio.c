/* stdio.c — a program that leans on the C library's own allocations:
 * printf, strdup, qsort, stdio streams, getline, open_memstream.
 * Everything it prints depends only on its input, never on addresses.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    enum { N = 3000 };
    char **words = malloc(N * sizeof *words);
    char buf[64], *line = NULL, *ms = NULL;
    size_t cap = 0, mslen = 0;
    unsigned long sum = 0;
    FILE *f, *m;
    int i, lines = 0;

    if (!words)
        return 1;
    for (i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "word-%u-%d", (i * 2654435761u) % 10007, i);
        words[i] = strdup(buf);
    }
    qsort(words, N, sizeof *words, cmp);
    printf("sorted %d words: first %s, middle %s, last %s\n", N, words[0],
           words[N / 2], words[N - 1]);

    /* A temporary file, written with fprintf, read back with getline. */
    f = tmpfile();
    if (!f)
        return 1;
    for (i = 0; i < N; i++)
        fprintf(f, "%s %d %.3f\n", words[i], i, i / 7.0);
    rewind(f);
    while (getline(&line, &cap, f) > 0) {
        lines++;
        sum += strlen(line);
    }
    fclose(f);
    free(line);
    printf("tmpfile: %d lines, %lu bytes\n", lines, sum);

    /* A memory stream grows with realloc as it is written. */
    m = open_memstream(&ms, &mslen);
    if (!m)
        return 1;
    for (i = 0; i < N; i += 3)
        fprintf(m, "[%s]", words[i]);
    fclose(m);
    printf("memstream: %zu bytes, ends with %s\n", mslen, ms + mslen - 20);
    free(ms);

    for (i = 0; i < N; i++)
        free(words[i]);
    free(words);
    printf("%s %d %s\n", "done:", N, "strings freed");
    return 0;
}
