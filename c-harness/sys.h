/* sys.h — freestanding i386 Linux system calls for the memkit C harness.
 *
 * No libc: each wrapper is one `int $0x80` with the number in %eax and the
 * arguments in %ebx, %ecx, %edx (the shape of musl's __syscall3). The raw
 * kernel result comes back: a value r with (unsigned long)r > -4096UL is
 * -errno, anything else is the result. sys_is_error() tests for that.
 *
 * The runtime that goes with this header (link both, before your objects):
 *   build/obj/c/start.o   _start: calls main(argc, argv, envp), exits with
 *                         its return value        (c-harness/start.s)
 *   build/obj/c/rt.o      printing, memset/memcpy, the test reporter
 *                         (c-harness/rt.c, declared in c-harness/rt.h)
 * In the Makefile: $(OBJ)/c/start.o $(OBJ)/c/rt.o your.o [$(OBJ)/asm/alloc.o]
 */
#ifndef MEMKIT_SYS_H
#define MEMKIT_SYS_H

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define SYS_exit        1
#define SYS_fork        2
#define SYS_read        3
#define SYS_write       4
#define SYS_open        5
#define SYS_close       6
#define SYS_waitpid     7
#define SYS_unlink      10
#define SYS_getpid      20
#define SYS_alarm       27
#define SYS_setitimer   104
#define SYS_rename      38
#define SYS_pipe        42
#define SYS_brk         45
#define SYS_setrlimit   75
#define SYS_ugetrlimit  191     /* getrlimit without the old 2 GiB clamp */
#define SYS_exit_group  252

/* open(2) flags, octal as in <fcntl.h>. */
#define O_RDONLY        00
#define O_WRONLY        01
#define O_RDWR          02
#define O_CREAT         0100
#define O_TRUNC         01000

#define RLIMIT_DATA     2       /* limits the size of the data segment + brk */
#define RLIM_INFINITY   (~0UL)

#define ENOENT          2
#define ENOMEM          12

/* waitpid(2) status words, as <sys/wait.h> decodes them. */
#define WIFEXITED(s)    (((s) & 0x7f) == 0)
#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WIFSIGNALED(s)  (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)     ((s) & 0x7f)

#define SIGILL          4
#define SIGTRAP         5
#define SIGABRT         6
#define SIGBUS          7
#define SIGFPE          8
#define SIGKILL         9
#define SIGSEGV         11
#define SIGALRM         14
#define SIGPROF         27

struct rlimit {
    unsigned long rlim_cur;     /* soft limit: enforced */
    unsigned long rlim_max;     /* hard limit: ceiling for rlim_cur */
};

static inline long __syscall1(long n, long a)
{
    unsigned long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory");
    return r;
}

static inline long __syscall2(long n, long a, long b)
{
    unsigned long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b)
                          : "memory");
    return r;
}

static inline long __syscall3(long n, long a, long b, long c)
{
    unsigned long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b),
                          "d"(c) : "memory");
    return r;
}

/* r is an error code (-errno) rather than a result. */
static inline int sys_is_error(long r)
{
    return (unsigned long)r > -4096UL;
}

static inline long sys_write(int fd, const void *buf, unsigned long len)
{
    return __syscall3(SYS_write, fd, (long)buf, (long)len);
}

static inline long sys_read(int fd, void *buf, unsigned long len)
{
    return __syscall3(SYS_read, fd, (long)buf, (long)len);
}

static inline long sys_open(const char *path, int flags, int mode)
{
    return __syscall3(SYS_open, (long)path, flags, mode);
}

static inline long sys_close(int fd)
{
    return __syscall1(SYS_close, fd);
}

/* The raw system call: returns the break now in effect. brk(0) reads it;
 * a refused request returns the old break (Linux never returns -errno). */
static inline unsigned long sys_brk(unsigned long addr)
{
    return (unsigned long)__syscall1(SYS_brk, (long)addr);
}

static inline long sys_setrlimit(int resource, const struct rlimit *rl)
{
    return __syscall2(SYS_setrlimit, resource, (long)rl);
}

static inline long sys_getrlimit(int resource, struct rlimit *rl)
{
    return __syscall2(SYS_ugetrlimit, resource, (long)rl);
}

static inline long sys_getpid(void)
{
    return __syscall1(SYS_getpid, 0);
}

/* fork(2): 0 in the child, the child's pid in the parent, or -errno.
 * The child is a copy: the allocator's heap and variables included. */
static inline long sys_fork(void)
{
    return __syscall1(SYS_fork, 0);
}

/* waitpid(2): waits for pid (-1: any child); *status gets the status
 * word the W* macros above decode. Returns the pid, or -errno. */
static inline long sys_waitpid(long pid, int *status, int options)
{
    return __syscall3(SYS_waitpid, pid, (long)status, options);
}

/* alarm(2): SIGALRM in `seconds` (0 cancels); its default action ends
 * the process, which is how a case that never returns is stopped. */
static inline long sys_alarm(unsigned seconds)
{
    return __syscall1(SYS_alarm, (long)seconds);
}

/* setitimer(ITIMER_PROF): SIGPROF once the process has used `seconds`
 * of CPU time, its own and the kernel's on its behalf (0 cancels). Its
 * default action ends the process. A limit in CPU seconds stops a loop
 * as an alarm does, but a busy machine cannot make a correct call look
 * like one: waiting for a core costs no CPU time. */
struct memkit_itimerval {
    long interval_sec, interval_usec;   /* struct timeval it_interval */
    long value_sec, value_usec;         /* struct timeval it_value */
};
_Static_assert(sizeof(struct memkit_itimerval) == 16,
               "struct itimerval on i386: four 32-bit longs");
static inline long sys_cpu_limit(unsigned seconds)
{
    struct memkit_itimerval t = { 0, 0, (long)seconds, 0 };
    return __syscall3(SYS_setitimer, 2 /* ITIMER_PROF */, (long)&t, 0);
}

/* pipe(2): fds[0] reads what fds[1] writes. Returns 0 or -errno. */
static inline long sys_pipe(int fds[2])
{
    return __syscall1(SYS_pipe, (long)fds);
}

/* rename(2): replaces `to` atomically. Returns 0 or -errno. */
static inline long sys_rename(const char *from, const char *to)
{
    return __syscall2(SYS_rename, (long)from, (long)to);
}

/* unlink(2). Returns 0 or -errno. */
static inline long sys_unlink(const char *path)
{
    return __syscall1(SYS_unlink, (long)path);
}

static inline __attribute__((noreturn)) void sys_exit(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

#endif
