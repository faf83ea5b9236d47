/* refcount-test.c — the contract of c-harness/refcount.c.
 *
 *   build/refcount-test    [RUN]/[OK]/[FAIL] lines, "N passed, N failed"
 *
 * Whether a block is free is read from allocate's own header (alloc.h),
 * so "freed at zero" is what the allocator sees, not what refcount.c
 * says about itself.
 */
#include "rt.h"
#include "alloc.h"
#include "refcount.h"

/* The allocate block under an object: its header says used or free. */
static unsigned block_state(void *obj)
{
    return header_of((char *)obj - RC_HEADER)->avail;
}

static void new_has_one_owner(void)
{
    char *o = rc_new(20);

    CHECK(o != NULL);
    CHECK_EQ(rc_count(o), 1);
    CHECK_EQ((uintptr_t)o % ALIGNMENT, 0);
    CHECK_EQ(block_state(o), UNAVAILABLE);
    memset(o, 'x', 20);         /* all 20 bytes belong to the caller */
    CHECK_EQ(rc_count(o), 1);
    rc_release(o);
}

static void retain_and_release_count(void)
{
    char *o = rc_new(16);

    CHECK(o != NULL);
    CHECK_EQ((uintptr_t)rc_retain(o), (uintptr_t)o);
    CHECK_EQ((uintptr_t)rc_retain(o), (uintptr_t)o);
    CHECK_EQ(rc_count(o), 3);
    rc_release(o);
    CHECK_EQ(rc_count(o), 2);
    CHECK_EQ(block_state(o), UNAVAILABLE);
    rc_release(o);
    rc_release(o);
}

static void last_release_frees(void)
{
    char *o = rc_new(40), *again;

    CHECK(o != NULL);
    rc_retain(o);
    rc_release(o);
    CHECK_EQ(block_state(o), UNAVAILABLE);  /* one owner left */
    rc_release(o);
    CHECK_EQ(block_state(o), AVAILABLE);    /* none left: deallocated */
    again = rc_new(40);                     /* first fit reuses the block */
    CHECK_EQ((uintptr_t)again, (uintptr_t)o);
    rc_release(again);
}

static void shared_survives_one_owner(void)
{
    char *a = rc_new(8), *b;

    CHECK(a != NULL);
    memcpy(a, "shared!", 8);
    b = rc_retain(a);           /* a second owner of the same object */
    rc_release(a);              /* the first one is done with it */
    CHECK_EQ(block_state(b), UNAVAILABLE);
    CHECK_EQ(memcmp(b, "shared!", 8), 0);
    CHECK_EQ(rc_count(b), 1);
    rc_release(b);
    CHECK_EQ(block_state(b), AVAILABLE);
}

/* Two objects that own each other: when the outside owners let go, each
 * count is still 1 and neither block is ever freed. A tracing garbage
 * collector would reclaim both; reference counting alone cannot. */
struct node {
    struct node *other;
};

static void a_cycle_is_never_freed(void)
{
    struct node *a = rc_new(sizeof *a), *b = rc_new(sizeof *b);

    CHECK(a != NULL && b != NULL);
    a->other = rc_retain(b);
    b->other = rc_retain(a);
    rc_release(a);
    rc_release(b);
    CHECK_EQ(rc_count(a), 1);
    CHECK_EQ(rc_count(b), 1);
    CHECK_EQ(block_state(a), UNAVAILABLE);
    CHECK_EQ(block_state(b), UNAVAILABLE);
    /* Breaking the cycle by hand frees both: b drops its reference to
     * a, so a (no owner left) is freed; rc has no destructors, so the
     * reference a held to b is released by hand. */
    b->other = NULL;
    rc_release(a);
    CHECK_EQ(block_state(a), AVAILABLE);
    rc_release(b);
    CHECK_EQ(block_state(b), AVAILABLE);
}

static void bad_input(void)
{
    CHECK_EQ((uintptr_t)rc_new(0xFFFFFFFFu), 0);          /* would wrap */
    CHECK_EQ((uintptr_t)rc_new(0xFFFFFFF8u), 0);
    CHECK_EQ((uintptr_t)rc_retain(NULL), 0);
    rc_release(NULL);                                     /* no crash */
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    { "rc_new returns an aligned object with one owner", new_has_one_owner },
    { "rc_retain and rc_release count owners up and down",
      retain_and_release_count },
    { "the last rc_release deallocates the block, and allocate reuses it",
      last_release_frees },
    { "an object outlives the release of one of its two owners",
      shared_survives_one_owner },
    { "two objects that own each other are never freed (a cycle)",
      a_cycle_is_never_freed },
    { "rc_new refuses a wrapping size, NULL is ignored", bad_input },
};

int main(void)
{
    unsigned i;

    allocate_init();
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_run(cases[i].name);
        cases[i].run();
        t_end();
    }
    return t_summary();
}
