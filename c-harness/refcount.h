/* refcount.h — reference-counted objects on top of asm/alloc.s.
 *
 *   void    *rc_new(unsigned size);    a new object, count 1
 *   void    *rc_retain(void *obj);     one more owner: count + 1
 *   void     rc_release(void *obj);    one owner fewer: count - 1, and
 *                                      deallocate when it reaches 0
 *   unsigned rc_count(const void *obj);
 *
 * Implemented in c-harness/refcount.c; link build/obj/asm/alloc.o and
 * call allocate_init first. Each object is one allocate block whose first
 * RC_HEADER bytes hold the count; the caller gets the address after them:
 *
 *   allocate's header   rc header              object (returned pointer)
 *   +------+------+     +---------+---------+  +--------------------
 *   | flag | size |     | count   | (pad)   |  | size bytes ...
 *   +------+------+     +---------+---------+  +--------------------
 *                       ^ allocate's payload   ^ payload + RC_HEADER
 *
 * The pad keeps the object 8-byte aligned, like allocate's payloads.
 * Nobody calls deallocate on an object: the last rc_release does, so a
 * block is freed exactly when no owner is left. rc_new returns NULL when
 * allocate does (or when size + RC_HEADER would wrap); rc_retain returns
 * NULL, changing nothing, when the count is at its maximum; NULL objects
 * are ignored by rc_retain and rc_release.
 */
#ifndef MEMKIT_REFCOUNT_H
#define MEMKIT_REFCOUNT_H

#define RC_HEADER 8             /* the count and a pad word */

void    *rc_new(unsigned size);
void    *rc_retain(void *obj);
void     rc_release(void *obj);
unsigned rc_count(const void *obj);

#endif
