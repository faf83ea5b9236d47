/* locality.c — the same sum, row by row or column by column.
 *
 *   build/locality rows|cols
 *
 * Sums a 1024 x 1024 array of ints (4 MiB, in .bss) once, visiting the
 * elements in memory order (rows: a[i][0], a[i][1], ...: consecutive
 * addresses) or across it (cols: a[0][j], a[1][j], ...: 4096 bytes
 * apart). Both orders execute the same instructions, the same number of
 * times; what differs is where the loads go. Row order uses every byte of
 * each 64-byte cache line it brings in; column order brings in a line for
 * every element and, with the array bigger than the cache, has to bring it
 * in again for the next column. tools/bench-locality.sh counts both
 * with cachegrind (make bench-locality, docs/concepts.md section 18).
 *
 * The array is first filled (every element 1, so the sum is 1048576 in
 * both orders, and every page is touched before the measured loop).
 *
 * Output: "rows: sum 1048576" or "cols: sum 1048576". Exit status 0, 2 on
 * bad usage.
 */
#include "rt.h"

#define N 1024

static int a[N][N];

/* noinline: the loops stay where cachegrind's function counts find them. */
__attribute__((noinline)) static unsigned sum_rows(void)
{
    unsigned s = 0, i, j;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            s += a[i][j];
    return s;
}

__attribute__((noinline)) static unsigned sum_cols(void)
{
    unsigned s = 0, i, j;
    for (j = 0; j < N; j++)
        for (i = 0; i < N; i++)
            s += a[i][j];
    return s;
}

int main(int argc, char **argv)
{
    unsigned i, j, s;
    int rows;

    if (argc != 2 || (strcmp(argv[1], "rows") != 0 && strcmp(argv[1], "cols") != 0)) {
        put_str(2, "usage: locality rows|cols\n");
        return 2;
    }
    rows = strcmp(argv[1], "rows") == 0;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            a[i][j] = 1;
    s = rows ? sum_rows() : sum_cols();
    put_str(1, argv[1]);
    put_str(1, ": sum ");
    put_udec(1, s);
    put_char(1, '\n');
    return 0;
}
