# out-file.s — write an output file so its old content survives a failure.
#
#   int  output_open(const char *path);    /* fd, or -errno */
#   int  output_commit(int fd);            /* 0, or -errno */
#   void output_discard(void);
#
# The book's programs open their output with O_TRUNC: the old content is
# gone at once, and a run that fails half-way (an unreadable input, a
# full disk) leaves a partial or empty file behind. Here a regular output
# file is written under a temporary name beside it, PATH.partial-PID (PID
# in hex), created with O_EXCL so it can never be an existing file; only
# when every byte is written and close succeeded does rename(2) put it in
# place of PATH, in one step. Until then PATH keeps its old content.
#
# An output that exists and is not a regular file (a pipe, a terminal,
# /dev/null, /dev/full) cannot be renamed over; it is opened and written
# directly, as the book does. A symbolic link named PATH is replaced by
# the new file, as `sed -i` does; the file it pointed to is left as it was.
# When PATH already exists, the new file gets its permission bits.
#
# One output per program: the state (the two names) is static.
#
#   output_open    decide direct or temporary; open; return the fd
#   output_commit  close the fd (a delayed write error shows up here);
#                  rename the temporary file over PATH
#   output_discard on an error path: remove the temporary file, if any

.include "linux.s"

.equ PATH_MAX,      4096        # the kernel's limit, NUL included
.equ SUFFIX_LEN,    17          # ".partial-" and eight hex digits

.section .rodata
suffix:
    .asciz ".partial-"
hex_digits:
    .ascii "0123456789abcdef"

.section .data
.balign 4
# Both 0 until output_open chose the temporary file.
out_path:                       # PATH as the caller gave it
    .long 0
temp_used:                      # 1: temp_path is ours to rename or remove
    .long 0

.section .bss
.lcomm temp_path, PATH_MAX
.lcomm out_stat, STAT64_SIZE

.section .text

# int output_open(const char *path);
# Inputs:   ARG_PATH    the output file's name
# Output:   %eax = a descriptor open for writing, or -errno (the open's or
#           the temporary name's: -ENAMETOOLONG when PATH plus the
#           suffix does not fit in PATH_MAX)
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
    je    .Ltemporary
    movl  $SYS_OPEN, %eax
    movl  %esi, %ebx                # %ebx = path
    movl  $O_CREAT_WRONLY_TRUNC, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
    jmp   .Ldone

    # temp_path = path ".partial-" hex(pid). Copy path, checking room for
    # the suffix and the NUL at every byte.
.Ltemporary:
    movl  $temp_path, %edi          # %edi = next byte of temp_path
1:  movb  (%esi), %al
    testb %al, %al
    jz    .Lsuffix
    cmpl  $temp_path + PATH_MAX - SUFFIX_LEN - 1, %edi
    jae   .Ltoo_long
    movb  %al, (%edi)
    incl  %esi
    incl  %edi
    jmp   1b
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

    # O_EXCL: never open (and so never truncate) a file that exists.
    movl  $SYS_OPEN, %eax
    movl  $temp_path, %ebx
    movl  $O_CREAT_WRONLY_EXCL, %ecx
    movl  $FILE_MODE, %edx
    int   $LINUX_SYSCALL
    cmpl  $MAX_ERRNO_NEG, %eax
    ja    .Ldone
    movl  $1, temp_used

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
