/* sbrk.h — the C library's sbrk, for the freestanding harness.
 *
 *   void *sbrk(long increment);        implemented in c-harness/sbrk.c
 *   extern int sbrk_errno;             ENOMEM after a failed sbrk
 *
 * brk(2), the system call, takes an address and returns the break in
 * effect afterwards (the old one when it refuses): see sys_brk in sys.h.
 * sbrk is a library function built on it that takes a distance instead:
 *
 *   sbrk(n)    moves the break by n bytes (n < 0 lowers it) and returns
 *              the OLD break, which is the start of the new memory when
 *              n > 0
 *   sbrk(0)    returns the current break and changes nothing
 *   failure    returns (void *)-1 and sets sbrk_errno to ENOMEM: the
 *              kernel refused (resource limit, no room, below the start
 *              of the heap), or the new break would wrap past 0 or 4 GiB
 *
 * Unlike the C library, this sbrk keeps no copy of the break: it asks
 * the kernel (brk(0)) on every call, so it stays right when other code,
 * such as asm/alloc.s, moves the break with the raw system call. That
 * costs one extra system call per sbrk.
 */
#ifndef MEMKIT_SBRK_H
#define MEMKIT_SBRK_H

#define SBRK_FAILED ((void *)-1)

void *sbrk(long increment);
extern int sbrk_errno;

#endif
