/* touch.c — what happens when a program touches memory that is not mapped.
 *
 *   build/touch            probes six addresses, one child process each
 *
 * The heap is grown by GROW_BY bytes, so the break sits in the middle of a
 * page. Then each probe reads or writes one byte:
 *
 *   heap_last    the last byte below the break            mapped, ok
 *   past_break   the first byte at the break              mapped, ok: the
 *                                                         break is a byte
 *                                                         address, the
 *                                                         mapping whole pages
 *   page_last    the last byte of the break's page        mapped, ok
 *   next_page    the first byte of the next page          not mapped: SIGSEGV
 *   below_text   the byte below the first segment         not mapped: SIGSEGV
 *   text_write   a write to this program's own code       mapped read-only:
 *                                                         SIGSEGV
 *
 * Design: a fault ends the process that takes it, so every probe runs in
 * a child (fork) and the parent reports how the child ended (wait4). The
 * child installs a SIGSEGV handler (rt_sigaction with SA_SIGINFO) that
 * prints the faulting address the kernel puts in siginfo and the reason
 * (si_code: SEGV_MAPERR nothing mapped, SEGV_ACCERR mapped without that
 * permission), then exits with FAULT_EXIT. The handler never returns, so
 * no sigreturn trampoline is needed (SA_RESTORER is left unset).
 *
 * Output, one line per probe: "name  address  access  result". Addresses
 * differ between qemu and a native run; tests/touch.bats checks the
 * results and that the fault address is the probed one.
 */
#include "rt.h"

#define SYS_fork         2
#define SYS_wait4        114
#define SYS_rt_sigaction 174
#define SIGSEGV          11
#define SA_SIGINFO       4
#define SEGV_MAPERR      1
#define SEGV_ACCERR      2

#define PAGE        4096u
#define GROW_BY     100u        /* leaves the break mid-page */
#define FAULT_EXIT  3           /* the child's status after a reported fault */

/* sys.h stops at three arguments; rt_sigaction takes four (%esi). */
static inline long __syscall4(long n, long a, long b, long c, long d)
{
    unsigned long r;
    __asm__ __volatile__ ("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b),
                          "d"(c), "S"(d) : "memory");
    return r;
}

/* The kernel's i386 struct sigaction (not glibc's): handler, flags,
 * restorer, then the mask as two 32-bit words. */
struct k_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask[2];
};

/* The start of siginfo for SIGSEGV: signal, errno, code, fault address. */
struct k_siginfo {
    int signo;
    int err;
    int code;
    void *addr;
};

extern char __executable_start[];   /* linker symbol: the first segment */

static void on_segv(int sig, void *info, void *ucontext)
{
    struct k_siginfo *si = info;

    (void)sig;
    (void)ucontext;
    put_str(1, "SIGSEGV at ");
    put_hex(1, (uintptr_t)si->addr, 8);
    put_str(1, si->code == SEGV_MAPERR ? " (SEGV_MAPERR: nothing mapped)\n"
             : si->code == SEGV_ACCERR ? " (SEGV_ACCERR: not allowed)\n"
             : " (other si_code)\n");
    sys_exit(FAULT_EXIT);
}

/* The child's side of one probe: touch the byte, say "ok" if that
 * returned, exit. volatile: the access must really happen. */
static void touch(volatile unsigned char *p, int write)
{
    struct k_sigaction sa = { on_segv, SA_SIGINFO, 0, { 0, 0 } };

    /* The last argument is the kernel's sigset size: 8 bytes. */
    if (sys_is_error(__syscall4(SYS_rt_sigaction, SIGSEGV, (long)&sa, 0,
                                sizeof sa.mask))) {
        put_str(1, "cannot install a SIGSEGV handler\n");
        sys_exit(2);
    }
    if (write)
        *p = *p;
    else
        (void)*p;
    put_str(1, "ok\n");
    sys_exit(0);
}

/* One probe: print "name  address  access  ", run it in a child and wait.
 * Returns 0 when the child ended the way the probe expects. */
static int probe(const char *name, uintptr_t addr, int write, int faults)
{
    int pad = 12 - (int)strlen(name), status = 0;
    long pid;

    put_str(1, name);
    while (pad-- > 0)
        put_char(1, ' ');
    put_hex(1, addr, 8);
    put_str(1, write ? "  write  " : "  read   ");

    pid = __syscall1(SYS_fork, 0);
    if (sys_is_error(pid)) {
        put_str(1, "fork failed\n");
        return 1;
    }
    if (pid == 0)
        touch((unsigned char *)addr, write);
    if (sys_is_error(__syscall3(SYS_wait4, pid, (long)&status, 0))) {
        put_str(1, "wait4 failed\n");
        return 1;
    }
    /* status: low 7 bits the killing signal, else exit code << 8. */
    if ((status & 0x7f) != 0) {
        put_str(1, "killed by signal ");
        put_udec(1, status & 0x7f);
        put_char(1, '\n');
        return 1;
    }
    return ((status >> 8) == FAULT_EXIT) != faults;
}

int main(void)
{
    uintptr_t start = sys_brk(0), brk, page_end;
    int bad = 0;

    brk = sys_brk(start + GROW_BY);
    if (brk != start + GROW_BY) {
        put_str(2, "touch: brk refused to grow the heap\n");
        return 1;
    }
    page_end = (brk + PAGE - 1) & ~(PAGE - 1);
    put_str(1, "break ");
    put_hex(1, brk, 8);
    put_str(1, " (initial break + 100); its page ends at ");
    put_hex(1, page_end, 8);
    put_str(1, "\nprobe       address     access result\n");

    bad |= probe("heap_last", brk - 1, 1, 0);
    bad |= probe("past_break", brk, 1, 0);
    bad |= probe("page_last", page_end - 1, 1, 0);
    bad |= probe("next_page", page_end, 0, 1);
    bad |= probe("below_text", (uintptr_t)__executable_start - 1, 0, 1);
    bad |= probe("text_write", (uintptr_t)main, 1, 1);
    return bad;
}
