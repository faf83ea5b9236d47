/* footprint.h — the pages a process holds: one measure for every
 * allocator, whether it takes memory with brk or with mmap (make bench,
 * trace-driver --footprint, docs/allocators.md).
 *
 *   int fp_resident(unsigned *pages);
 *
 * Counts the resident pages (mincore) of the process's anonymous
 * mappings, read from /proc/self/maps (qemu-i386 shows the guest's own
 * there), and stores the count in *pages. Not counted:
 *
 *   - file-backed mappings (program and library text and data: the same
 *     before and after, and mincore reports the page cache for them, not
 *     what this process wrote);
 *   - the stack, [vvar], [vdso], [vsyscall];
 *   - mappings with no access at all (---p: guard pages, reserved
 *     address space): nothing in them can have been written since they
 *     were made so, unless made so after (no allocator the kit measures
 *     keeps data that way), and qemu-i386's mincore refuses them;
 *   - the calling program's own static data, [__bss_start, _end) rounded
 *     out to pages: the trace driver's arrays are not the allocator's;
 *   - pages of the break's mapping at or above the break (page-rounded):
 *     the kernel unmaps them when the break comes down, qemu-i386 keeps
 *     them mapped; either way they were given back.
 *
 * Pages handed back with munmap or madvise(MADV_DONTNEED) are not
 * resident any more and so not counted. An anonymous page that was only
 * read maps the shared zero page and counts as resident: allocators do
 * not read memory they never wrote, so in practice resident here means
 * written.
 *
 * Returns 0, or -1 when /proc/self/maps cannot be read or is larger than
 * the buffer, or mincore fails: a footprint that could not be measured is
 * an error, never a zero.
 */
#ifndef MEMKIT_FOOTPRINT_H
#define MEMKIT_FOOTPRINT_H

#define FP_PAGE 4096u

int fp_resident(unsigned *pages);

#endif
