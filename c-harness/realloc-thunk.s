# realloc-thunk.s — reallocate(p, size) behind a one-argument call, so that
# call_checked (callcheck.s), which pushes one argument, can check which
# registers reallocate keeps. alloc-props.c uses it.
#
#   void *realloc_thunk(void *p);   returns reallocate(p, realloc_thunk_size)
#   extern unsigned realloc_thunk_size;
#
# The thunk deliberately has no frame and saves nothing: a register that
# reallocate fails to preserve must reach call_checked unchanged, and a
# `movl %ebp, %esp` here would crash on a broken %ebp instead of reporting
# it.

# Weak, as in alloc-props.c: an allocator without reallocate still links
# (alloc-props then refuses to run its cases).
.weak reallocate

.section .data
.balign 4
.globl realloc_thunk_size
.type realloc_thunk_size, @object
.size realloc_thunk_size, 4
realloc_thunk_size:
    .long 0                     # the size argument for the next call

.section .text

# void *realloc_thunk(void *p);
#
# Inputs:   ARG_P(%esp)  on entry: the pointer for reallocate
# Output:   %eax  what reallocate returned
# Clobbers: whatever reallocate clobbers
.equ ARG_P, 4

.globl realloc_thunk
.type realloc_thunk, @function
realloc_thunk:
    pushl realloc_thunk_size    # second argument
    pushl ARG_P+4(%esp)         # first (one word deeper now)
    call  reallocate
    addl  $8, %esp              # the caller pops
    ret
.size realloc_thunk, .-realloc_thunk

.section .note.GNU-stack,"",@progbits
