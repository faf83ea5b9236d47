/* procfile.h — read a whole (small) /proc file into a buffer: the
 * examples that print their own /proc/self/maps or /proc/self/status
 * lines (stackgrow, vmsize, brkdown, auxv, selfview). Header-only, so a
 * program links nothing more for it. */
#ifndef MEMKIT_PROCFILE_H
#define MEMKIT_PROCFILE_H

#include "sys.h"

/* read_proc_file(path, buf, size) — up to size - 1 bytes of PATH into
 * BUF, NUL-terminated (a /proc file comes in several reads). Returns the
 * length, or -errno when PATH cannot be opened. */
static inline long read_proc_file(const char *path, char *buf, long size)
{
    long fd = sys_open(path, O_RDONLY, 0), n, len = 0;

    if (sys_is_error(fd))
        return fd;
    while (len < size - 1 && (n = sys_read(fd, buf + len, size - 1 - len)) > 0)
        len += n;
    sys_close(fd);
    buf[len] = 0;
    return len;
}

#endif
