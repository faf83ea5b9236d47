/* twin.c — one variable, one address, a different value in each process.
 *
 *   build/twin VALUE       tools/twins.sh runs two copies at once
 *
 * Stores VALUE in a global variable, prints the variable's address and
 * value, sleeps PAUSE_MS so that a second copy started at the same time
 * stores its own value meanwhile, then reads the variable again. Both
 * copies print the same address, and each still reads its own value:
 * the address is virtual, and each process has its own mapping of it.
 *
 * Output (two lines; tests/twin.bats checks them):
 *   pid 4242: &shared_word = 0x0804c000, stored 111
 *   pid 4242: after 300 ms, shared_word = 111
 */
#include "rt.h"

#define SYS_nanosleep 162
#define PAUSE_MS      300

struct k_timespec {
    long sec;
    long nsec;
};

/* In .data at a fixed link-time address: the same in every copy. */
unsigned shared_word = 1;

static void say(const char *what)
{
    put_str(1, "pid ");
    put_udec(1, (unsigned)sys_getpid());
    put_str(1, what);
}

int main(int argc, char **argv)
{
    struct k_timespec pause = { 0, PAUSE_MS * 1000000L };
    unsigned value;

    if (argc != 2 || parse_uint(argv[1], &value) != 0) {
        put_str(2, "usage: twin VALUE   (a number to store)\n");
        return 2;
    }
    /* volatile: really store, really load again after the pause. */
    *(volatile unsigned *)&shared_word = value;
    say(": &shared_word = ");
    put_hex(1, (uintptr_t)&shared_word, 8);
    put_str(1, ", stored ");
    put_udec(1, value);
    put_char(1, '\n');

    __syscall2(SYS_nanosleep, (long)&pause, 0);

    say(": after 300 ms, shared_word = ");
    put_udec(1, *(volatile unsigned *)&shared_word);
    put_char(1, '\n');
    return 0;
}
