# out-file.s — write an output file so its old content survives a failure.
#
#   int         output_open(const char *path);  /* fd, or -errno */
#   int         output_commit(int fd);          /* 0, or -errno */
#   void        output_discard(void);
#   const char *output_name(void);              /* the file last created */
#
# The book's programs open their output with O_TRUNC: the old content is
# gone at once, and a run that fails half-way (an unreadable input, a
# full disk) leaves a partial or empty file behind. Here a regular output
# file is written under a temporary name beside it, PATH.partial-PID (PID
# in hex), created with O_EXCL so it can never be an existing file; only
# when every byte is written and close succeeded does rename(2) put it in
# place of PATH, in one step. Until then PATH keeps its old content.
#
# Any legal PATH works: when PATH's last component is too long for the
# suffix (a name may have NAME_MAX = 255 bytes), the temporary name keeps
# only the component's first bytes, so it still fits.
#
# An output that exists and is not a regular file (a pipe, a terminal,
# /dev/null, /dev/full) cannot be renamed over; it is opened and written
# directly, as the book does. A symbolic link named PATH is replaced by
# the new file, as `sed -i` does; the file it pointed to is left as it was.
# When PATH already exists, the new file gets its permission bits. An
# existing PATH this user may not write, or that has no write permission
# bit at all (mode 0444, even for root), is refused with EACCES, as the
# book's open(O_TRUNC) refuses it: rename(2) would replace it silently.
#
# While the temporary file exists, SIGTERM (a timeout), SIGINT (Ctrl-C)
# and SIGHUP remove it before the program dies of the signal, so a killed
# run leaves neither a partial file nor a changed PATH. SIGXFSZ is
# ignored: a write past `ulimit -f` then fails with EFBIG like a full disk
# fails with ENOSPC, and the program reports it and removes the file.
# (With SIGXFSZ at its default the signal kills the program first and
# the partial file stays: natively and under qemu-user alike.)
#
# One output at a time: the state (the two names) is static; a program
# may write several files one after another (tracegen).
#
#   output_open    decide direct or temporary; open; return the fd
#   output_commit  close the fd (a delayed write error shows up here);
#                  rename the temporary file over PATH
#   output_discard on an error path: remove the temporary file, if any
#   output_name    for error messages: the file output_open created or
#                  failed to create (the temporary name, or PATH)

.include "linux.s"

.equ PATH_MAX,      4096        # the kernel's limit, NUL included
.equ NAME_MAX,      255         # bytes in one path component
.equ SUFFIX_LEN,    17          # ".partial-" and eight hex digits

# System calls and constants only this file uses.
.equ SYS_ACCESS,         33
.equ SYS_KILL,           37
.equ SYS_RT_SIGACTION,   174
.equ SYS_RT_SIGPROCMASK, 175
.equ W_OK,          2           # access(2): may this user write it?
.equ EACCES,        13
.equ S_IWRITE_ANY,  0222        # st_mode's three write permission bits
.equ SIGHUP,        1
.equ SIGINT,        2
.equ SIGTERM,       15
.equ SIGXFSZ,       25
.equ SIG_IGN,       1           # the "ignore" handler
.equ SIG_BLOCK,     0           # rt_sigprocmask: add to the mask
.equ SIG_UNBLOCK,   1           # rt_sigprocmask: take out of the mask
.equ SIG_SETMASK,   2           # rt_sigprocmask: replace the mask
.equ SIGSET_SIZE,   8           # the kernel's sigset_t: 64 bits
.equ SA_RESETHAND,  0x80000000  # the action is back to default on entry

# struct sigaction as rt_sigaction(2) takes it on i386:
#
#   0          4          8            12                 20
#   +----------+----------+------------+------------------+
#   | handler  | sa_flags | sa_restorer| sa_mask (64 bits)|
#   +----------+----------+------------+------------------+
.equ SA_HANDLER,    0
.equ SIGACTION_SIZE, 20

# The signals that remove the temporary file, as a sigset (bit SIG-1).
.equ CLEANUP_SET, (1 << (SIGHUP - 1)) | (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))

.section .rodata
suffix:
    .asciz ".partial-"
hex_digits:
    .ascii "0123456789abcdef"
cleanup_signals:                # the signals output_on_signal handles
    .byte SIGHUP, SIGINT, SIGTERM, 0
.balign 4
cleanup_set:                    # the same, as a sigset for rt_sigprocmask
    .long CLEANUP_SET, 0
ignore_action:                  # SIGXFSZ: write fails with EFBIG instead
    .long SIG_IGN, 0, 0, 0, 0
cleanup_action:                 # run output_on_signal once, then default;
    .long output_on_signal, SA_RESETHAND, 0, CLEANUP_SET, 0  # all three wait

.section .data
.balign 4
# Both 0 until output_open chose the temporary file.
out_path:                       # PATH as the caller gave it
    .long 0
temp_used:                      # 1: temp_path is ours to rename or remove
    .long 0
tried_name:                     # output_name's answer: PATH or temp_path
    .long 0

.section .bss
.lcomm temp_path, PATH_MAX
.lcomm out_stat, STAT64_SIZE
.lcomm old_action, SIGACTION_SIZE
.lcomm saved_mask, SIGSET_SIZE

.section .text

# int output_open(const char *path);
# Inputs:   ARG_PATH    the output file's name
# Output:   %eax = a descriptor open for writing, or -errno: the open's,
#           -EACCES for an existing regular PATH this user may not write,
#           -ENAMETOOLONG when PATH's directory leaves no room for a
#           temporary name in PATH_MAX. output_name() then says which
#           file could not be created.
# Clobbers: %ecx, %edx, flags
.equ ARG_PATH, 8

.globl output_open
.type output_open, @function
output_open:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  ARG_PATH(%ebp), %esi      # %esi = path
    movl  %esi, out_path
    movl  %esi, tried_name

    # A write past `ulimit -f` fails with EFBIG, reported like ENOSPC.
    movl  $SYS_RT_SIGACTION, %eax
    movl  $SIGXFSZ, %ebx
    movl  $ignore_action, %ecx
    xorl  %edx, %edx
    movl  $SIGSET_SIZE, %esi
    int   $LINUX_SYSCALL
    movl  ARG_PATH(%ebp), %esi      # %esi = path

    # A path that exists as something else than a regular file: directly.
    movl  $SYS_STAT64, %eax
    movl  %esi, %ebx
    movl  $out_stat, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Ltemporary               # (usually: PATH does not exist yet)
    movl  out_stat + STAT64_MODE, %eax
    andl  $S_IFMT, %eax
    cmpl  $S_IFREG, %eax
    je    .Lregular
    movl  $SYS_OPEN, %eax
    movl  %esi, %ebx                # %ebx = path
    movl  $O_CREAT_WRONLY_TRUNC, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
    jmp   .Ldone

    # rename(2) would replace a file the user may not write: refuse it, as
    # open(O_TRUNC) would. A file with no write bit at all (0444) is
    # read-only on purpose: refused for root too, who may write anything.
.Lregular:
    movl  $-EACCES, %eax
    testl $S_IWRITE_ANY, out_stat + STAT64_MODE
    jz    .Ldone
    movl  $SYS_ACCESS, %eax
    movl  %esi, %ebx
    movl  $W_OK, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Ldone                    # -EACCES (or -EROFS)

    # temp_path = path ".partial-" hex(pid). Copy path, remembering where
    # its last component starts (%edx); a path that does not fit PATH_MAX
    # is not a legal path.
.Ltemporary:
    movl  $temp_path, %edi          # %edi = next byte of temp_path
    movl  %edi, %edx                # %edx = start of the last component
1:  movb  (%esi), %al
    testb %al, %al
    jz    .Lshorten
    cmpl  $temp_path + PATH_MAX - 1, %edi
    jae   .Ltoo_long
    movb  %al, (%edi)
    incl  %esi
    incl  %edi
    cmpb  $'/', %al
    jne   1b
    movl  %edi, %edx
    jmp   1b

    # The suffix must fit: keep at most NAME_MAX - SUFFIX_LEN bytes of the
    # last component, and the whole name within PATH_MAX.
.Lshorten:
    leal  NAME_MAX - SUFFIX_LEN(%edx), %eax
    cmpl  %eax, %edi
    jbe   2f
    movl  %eax, %edi
2:  cmpl  $temp_path + PATH_MAX - 1 - SUFFIX_LEN, %edi
    jbe   .Lsuffix
    movl  $temp_path + PATH_MAX - 1 - SUFFIX_LEN, %edi
    cmpl  %edx, %edi
    jae   .Lsuffix
.Ltoo_long:
    movl  $-ENAMETOOLONG, %eax
    jmp   .Ldone
.Lsuffix:
    movl  $suffix, %esi
2:  movb  (%esi), %al
    testb %al, %al
    jz    .Lpid
    movb  %al, (%edi)
    incl  %esi
    incl  %edi
    jmp   2b
.Lpid:
    movl  $SYS_GETPID, %eax
    int   $LINUX_SYSCALL
    movl  %eax, %edx                # %edx = pid, shifted out 4 bits a digit
    movl  $8, %ecx                  # %ecx = hex digits left
3:  roll  $4, %edx                  # the top nibble comes round to the bottom
    movl  %edx, %eax
    andl  $0xf, %eax
    movb  hex_digits(%eax), %al
    movb  %al, (%edi)
    incl  %edi
    decl  %ecx
    jnz   3b
    movb  $0, (%edi)
    movl  $temp_path, tried_name

    # From the open that creates the file to temp_used = 1, the cleanup
    # signals wait (blocked): a handler that ran in between would leave
    # the file behind. Then a SIGTERM, SIGINT or SIGHUP removes it.
    movl  $SYS_RT_SIGPROCMASK, %eax
    movl  $SIG_BLOCK, %ebx
    movl  $cleanup_set, %ecx
    movl  $saved_mask, %edx
    movl  $SIGSET_SIZE, %esi
    int   $LINUX_SYSCALL
    call  catch_cleanup_signals

    # O_EXCL: never open (and so never truncate) a file that exists.
    movl  $SYS_OPEN, %eax
    movl  $temp_path, %ebx
    movl  $O_CREAT_WRONLY_EXCL, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
    movl  %eax, %edi                # %edi = fd or -errno
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    1f
    movl  $1, temp_used
1:  movl  $SYS_RT_SIGPROCMASK, %eax
    movl  $SIG_SETMASK, %ebx
    movl  $saved_mask, %ecx
    xorl  %edx, %edx
    movl  $SIGSET_SIZE, %esi
    int   $LINUX_SYSCALL
    movl  %edi, %eax                # %eax = fd or -errno
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Ldone

    # PATH existed (stat succeeded above, and it is regular): keep its
    # permission bits. The temporary file is ours; a failure here is a
    # failure of the whole output.
    cmpl  $0, out_stat + STAT64_MODE
    je    .Ldone
    movl  %eax, %esi                # %esi = fd
    movl  $SYS_FCHMOD, %eax
    movl  %esi, %ebx
    movl  out_stat + STAT64_MODE, %ecx
    andl  $S_IPERM, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Ldone                    # -errno
    movl  %esi, %eax

.Ldone:
    popl  %edi
    popl  %esi
    popl  %ebx
    popl  %ebp
    ret
.size output_open, .-output_open

# static void catch_cleanup_signals(void);
# Points SIGHUP, SIGINT and SIGTERM at output_on_signal, except a signal
# the program was started with ignored (nohup, a background job's
# SIGINT): that one stays ignored.
# Inputs:   none
# Output:   none
# Clobbers: %eax, %ecx, %edx, flags
.type catch_cleanup_signals, @function
catch_cleanup_signals:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi

    movl  $cleanup_signals, %edi    # %edi = next signal number
.Lnext_signal:
    movzbl (%edi), %ebx             # %ebx = the signal
    testl %ebx, %ebx
    jz    .Lcaught
    movl  $SYS_RT_SIGACTION, %eax
    xorl  %ecx, %ecx
    movl  $old_action, %edx
    movl  $SIGSET_SIZE, %esi
    int   $LINUX_SYSCALL
    cmpl  $SIG_IGN, old_action + SA_HANDLER
    je    1f
    movl  $SYS_RT_SIGACTION, %eax
    movzbl (%edi), %ebx
    movl  $cleanup_action, %ecx
    xorl  %edx, %edx
    int   $LINUX_SYSCALL
1:  incl  %edi
    jmp   .Lnext_signal

.Lcaught:
    popl  %edi
    popl  %esi
    popl  %ebx
    popl  %ebp
    ret
.size catch_cleanup_signals, .-catch_cleanup_signals

# static void output_on_signal(int sig);   /* a signal handler */
# Removes the temporary file, then lets SIG end the process as it would
# have without a handler: SA_RESETHAND restored the default action, so
# sending it again kills at once (the shell, or `timeout`, sees death by
# SIG). While it removes the file all three cleanup signals wait
# (cleanup_action's mask): `timeout` sends its SIGTERM twice, to the
# program and to its group, and a second one that killed the program
# before the unlink would leave the file behind. They are let through
# only after it.
# Inputs:   ARG_SIG     the signal
# Output:   none: the process dies
# Clobbers: everything (it does not return)
.equ ARG_SIG, 8
.equ EXIT_SIGNALED, 128         # the shell's status for a signal's death

.type output_on_signal, @function
output_on_signal:
    pushl %ebp
    movl  %esp, %ebp

    call  output_discard
    movl  $SYS_RT_SIGPROCMASK, %eax # a waiting signal may end us now
    movl  $SIG_UNBLOCK, %ebx
    movl  $cleanup_set, %ecx
    xorl  %edx, %edx
    movl  $SIGSET_SIZE, %esi
    int   $LINUX_SYSCALL
    movl  $SYS_GETPID, %eax
    int   $LINUX_SYSCALL
    movl  %eax, %ebx                # %ebx = our pid
    movl  $SYS_KILL, %eax
    movl  ARG_SIG(%ebp), %ecx
    int   $LINUX_SYSCALL
    # Not reached unless the signal could not be sent.
    movl  $SYS_EXIT, %eax
    movl  ARG_SIG(%ebp), %ebx
    addl  $EXIT_SIGNALED, %ebx
    int   $LINUX_SYSCALL
.size output_on_signal, .-output_on_signal

# const char *output_name(void);
# Inputs:   none
# Output:   %eax = the name of the file the last output_open created or
#           tried to create: the temporary name, or PATH itself (written
#           directly, refused, or too long); for error messages
# Clobbers: flags
.globl output_name
.type output_name, @function
output_name:
    pushl %ebp
    movl  %esp, %ebp
    movl  tried_name, %eax
    popl  %ebp
    ret
.size output_name, .-output_name

# int output_commit(int fd);
# Inputs:   ARG_FD      the descriptor output_open returned
# Output:   %eax = 0 when the output is complete and in place; -errno
#           when close or rename failed (the temporary file is then
#           removed, and PATH is as it was)
# Clobbers: %ecx, %edx, flags
.equ ARG_FD, 8

.globl output_commit
.type output_commit, @function
output_commit:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    movl  $SYS_CLOSE, %eax
    movl  ARG_FD(%ebp), %ebx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcommit_failed
    cmpl  $0, temp_used
    je    .Lcommitted
    movl  $SYS_RENAME, %eax
    movl  $temp_path, %ebx
    movl  out_path, %ecx
    int   $LINUX_SYSCALL
    testl %eax, %eax
    jnz   .Lcommit_failed
    movl  $0, temp_used             # it is PATH now: nothing to remove
    jmp   .Lcommitted

.Lcommit_failed:
    pushl %eax
    call  output_discard
    popl  %eax                      # %eax = -errno
.Lcommitted:
    popl  %ebx
    popl  %ebp
    ret
.size output_commit, .-output_commit

# void output_discard(void);
# Inputs:   none
# Output:   none; the temporary file, if output_open made one, is removed
#           (its descriptor stays open until the process exits)
# Clobbers: %eax, %ecx, %edx, flags
.globl output_discard
.type output_discard, @function
output_discard:
    pushl %ebp
    movl  %esp, %ebp
    pushl %ebx

    cmpl  $0, temp_used
    je    .Ldiscarded
    movl  $SYS_UNLINK, %eax
    movl  $temp_path, %ebx
    int   $LINUX_SYSCALL
    movl  $0, temp_used
.Ldiscarded:
    popl  %ebx
    popl  %ebp
    ret
.size output_discard, .-output_discard

.section .note.GNU-stack,"",@progbits
