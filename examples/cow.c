/* cow.c — after fork, parent and child share pages until one writes.
 *
 *   build/cow
 *
 * fork gives the child a copy of the parent's memory, but the kernel
 * copies nothing at fork: both processes map the same physical pages,
 * read-only, and the first write to a page in either one faults; the
 * kernel then gives the writer its own copy of that page (copy-on-write)
 * and lets the write go on. Here the child writes a word of a page in
 * .data twice and counts its own minor page faults around each write
 * (getrusage): the first write takes one fault, the copy; the second
 * none, the page is the child's now. The parent, after the child has
 * exited, reads the word at the same address: still its own value.
 *
 * Natively the counts are the process's own. Under qemu-i386 the guest's
 * fork is a host fork of qemu, so the copy-on-write is real too, but
 * getrusage counts qemu's faults: the values are right, the counts
 * qemu's (tests/cow.bats checks the counts natively only).
 *
 * Output: four lines, "parent: ...", "child: first write ...",
 * "child: second write ...", "parent: after the child ...". Exit 0.
 */
#include "rt.h"

#define SYS_getrusage 77

/* The fields of struct rusage up to ru_minflt (i386: longs). */
struct rusage_head {
    long utime_sec, utime_usec, stime_sec, stime_usec;
    long maxrss, ixrss, idrss, isrss, minflt;
    long rest[7];
};

/* A page of .data of its own, so no other variable shares its copy. */
static volatile unsigned word[1024] __attribute__((aligned(4096))) = { 1 };

static long minor_faults(void)
{
    struct rusage_head ru;
    __syscall2(SYS_getrusage, 0 /* RUSAGE_SELF */, (long)&ru);
    return ru.minflt;
}

static void say(const char *who, const char *what, unsigned v)
{
    put_str(1, who);
    put_str(1, what);
    put_udec(1, v);
    put_char(1, '\n');
}

int main(void)
{
    long pid, f0, f1, f2;
    int status;

    word[0] = 111;              /* the page is the parent's, written */
    put_str(1, "parent: &word = ");
    put_hex(1, (unsigned)(uintptr_t)word, 8);
    say("", ", value ", word[0]);
    pid = sys_fork();
    if (sys_is_error(pid)) {
        put_str(2, "cow: fork failed\n");
        return 1;
    }
    if (pid == 0) {
        /* getrusage writes its answer on the stack, a shared page too:
         * the first call takes that page's copy, so it is not counted. */
        minor_faults();
        f0 = minor_faults();
        word[0] = 222;          /* the shared page is copied here */
        f1 = minor_faults();
        word[0] = 333;          /* already the child's own copy */
        f2 = minor_faults();
        say("child: first write (222), minor page faults: ", "", (unsigned)(f1 - f0));
        say("child: second write (333), minor page faults: ", "", (unsigned)(f2 - f1));
        sys_exit(0);
    }
    sys_waitpid(pid, &status, 0);
    say("parent: after the child exited, word = ", "", word[0]);
    return 0;
}
