/* hello-dynamic.c — the kit's one dynamically linked program.
 *
 *   build/hello-dynamic        prints a line and its own /proc/self/maps
 *
 * Ordinary C against the 32-bit glibc (gcc -m32, no freestanding flags),
 * built only when gcc-multilib is installed. docs/memory-layout.md
 * compares it with the static kit programs: `size` (text grows by the
 * dynamic-linking sections, the library code itself is not in the file),
 * `readelf -l` (an INTERP segment naming /lib/ld-linux.so.2, a DYNAMIC
 * segment) and the maps below (ld-linux and libc.so.6 mapped in).
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char line[512];
    FILE *maps;
    /* malloc reaches the kernel with brk, like alloc.s: the [heap] line
     * appears in the maps below once it has. */
    char *p = malloc(100);

    printf("hello from a dynamically linked i386 program (malloc gave %p)\n",
           (void *)p);
    maps = fopen("/proc/self/maps", "r");
    if (!maps) {
        perror("hello-dynamic: /proc/self/maps");
        return 1;
    }
    while (fgets(line, sizeof line, maps))
        fputs(line, stdout);
    fclose(maps);
    free(p);
    return 0;
}
