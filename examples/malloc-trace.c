/* malloc-trace.c — how the C library's malloc reaches the kernel.
 *
 *   build/malloc-trace       (dynamically linked against the 32-bit libc)
 *   make strace PROG=malloc-trace ONLY=brk,mmap2,munmap
 *
 * Ordinary C (gcc -m32), built only when gcc-multilib is installed, like
 * hello-dynamic. It makes SMALL_COUNT calls malloc(SMALL_SIZE), then one
 * malloc(BIG_SIZE) above glibc's mmap threshold (128 KiB by default),
 * then frees the big block. Traced, the small blocks all come out of the
 * heap glibc grew once with brk (it asks for far more than one block
 * needs, 132 KiB and up), the big one gets an mmap2 of its own, and its
 * free is a munmap: memory goes back to the kernel at once. Compare the
 * kit's allocator, which makes one brk per growth and never gives back.
 *
 * The program prints what it did (addresses vary) on stdout; the trace is
 * on stderr. tests/malloc-trace.bats matches the two.
 */
#include <stdio.h>
#include <stdlib.h>

#define SMALL_COUNT 100
#define SMALL_SIZE  100
#define BIG_SIZE    (200 * 1024)

int main(void)
{
    static char *small[SMALL_COUNT];
    char *big;
    int i;

    for (i = 0; i < SMALL_COUNT; i++) {
        small[i] = malloc(SMALL_SIZE);
        if (!small[i]) {
            perror("malloc-trace: small malloc");
            return 1;
        }
        small[i][0] = (char)i;
    }
    printf("%d x malloc(%d): first %p, last %p\n", SMALL_COUNT, SMALL_SIZE,
           (void *)small[0], (void *)small[SMALL_COUNT - 1]);
    fflush(stdout);

    big = malloc(BIG_SIZE);
    if (!big) {
        perror("malloc-trace: big malloc");
        return 1;
    }
    big[0] = 1;
    printf("malloc(%d) = %p\n", BIG_SIZE, (void *)big);
    fflush(stdout);
    printf("free(%p)\n", (void *)big);
    fflush(stdout);
    free(big);

    for (i = 0; i < SMALL_COUNT; i++)
        free(small[i]);
    return 0;
}
