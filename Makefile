# memkit — i386 assembly teaching kit for the memory chapter of
# "Programming from the Ground Up".
#
#   make                 build every program into build/
#   make demo            install what is missing, build, run the Records demo
#   make test            install what is missing, build, run the bats suite
#   make check-toolchain say which tools are present and which are missing
#   make clean           remove build/
#
#   make ... ALLOC=NAME|PATH   build the programs that use an allocator
#                        against another one (docs/exercises.md)
#   make check ALLOC=... run that allocator's checks only: one verdict
#                        (docs/allocator.md)
#   make handout / handin / autograder / autolab
#                        the kit as a graded lab (docs/teaching.md)
#
# Every binary is a static i386 ELF. It runs under qemu-i386 on any host,
# or natively on an x86 host with `make ... QEMU=`.

# ---------------------------------------------------------------- toolchain
# MEMKIT_HOST_ARCH stands in for `uname -m` (tools/host.sh, tests).
HOST := $(or $(MEMKIT_HOST_ARCH),$(shell uname -m))
ifneq ($(filter x86_64 i386 i486 i586 i686,$(HOST)),)
CROSS :=
else
CROSS := i686-linux-gnu-
endif

# make predefines AS, LD and CC, so `?=` would never apply: replace only the
# built-in defaults and keep whatever the user passed (make AS=... LD=...).
ifeq ($(origin AS),default)
AS := $(CROSS)as
endif
ifeq ($(origin LD),default)
LD := $(CROSS)ld
endif
ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
OBJDUMP ?= $(CROSS)objdump
QEMU    ?= qemu-i386
export QEMU

# `all` is the default goal: a plain `make` builds everything. Its
# prerequisites are added further down, once the program lists exist.
.DEFAULT_GOAL := all

BUILD   := build
OBJ     := $(BUILD)/obj
# The instruction counter every benchmark uses (mk/plugin.mk).
PLUGIN  := $(BUILD)/plugin/icount.so

# -g puts DWARF line info in the objects so gdb can `list` and `step` the
# assembly source. --fatal-warnings turns ld's "missing .note.GNU-stack"
# warning into an error: every source file must declare a non-executable
# stack itself.
ASFLAGS := --32 -g -I asm
LDFLAGS := -m elf_i386 -static --fatal-warnings
CFLAGS  := -m32 -march=i686 -std=c11 -O2 -g -Wall -Wextra \
           -ffreestanding -fno-builtin -nostdlib -fno-pie \
           -fno-stack-protector -fno-asynchronous-unwind-tables \
           -fcf-protection=none -I c-harness

# ---------------------------------------------------------------- allocator
# ALLOC chooses the memory manager that alloc-test, heap-map, alloc-bench,
# read-records, book-caller, upcase link: empty (the reference, asm/alloc.s),
# the name of a kit variant (asm/allocators/NAME.s), or the path of any
# .s file. tools/alloc-resolve turns it into a tag. The reference builds
# into build/ as always; any other allocator into build/alloc/TAG/, so a
# student's build never overwrites the reference and switching between
# allocators never needs `make clean`.
#
# ALLOC is a path, never make code: ALLOC_PATH is its text as given
# ($(value ...) expands no `$(...)` in it), and it reaches the shell as
# one single-quoted word (shq), so a quote in a path works
# (ALLOC="$HOME/mine.s" with HOME=/home/o'brien). A `$` cannot be
# passed through make safely: such a path is refused before anything
# runs (tools/alloc-resolve refuses a newline).
ALLOC ?=
ALLOC_PATH := $(value ALLOC)
ifneq ($(findstring $$,$(ALLOC_PATH)),)
$(error ALLOC=$(ALLOC_PATH): a path with '$$' in it cannot go through make; copy the file, or link it (ln -s) from a path without '$$')
endif
# shq — its argument as one single-quoted shell word: ALLOC, PROG and
# ARGS may hold spaces and quotes, and reach the scripts untouched.
shq = '$(subst ','\'',$(1))'
ALLOC_TAG := $(shell tools/alloc-resolve $(call shq,$(ALLOC_PATH)) 2>/dev/null || echo '?')
ifeq ($(ALLOC_TAG),?)
$(error $(shell tools/alloc-resolve $(call shq,$(ALLOC_PATH)) 2>&1 | tr '\n' ' '))
endif
ifeq ($(ALLOC_TAG),ref)
ABUILD    := $(BUILD)
ALLOC_OBJ := $(OBJ)/asm/alloc.o
else
ABUILD    := $(BUILD)/alloc/$(ALLOC_TAG)
ALLOC_OBJ := $(ABUILD)/obj/alloc.o
endif
# The tests find the chosen allocator's programs through this (test_helper).
export MEMKIT_ALLOC_TAG := $(ALLOC_TAG)

# ------------------------------------------------------- Records programs
# asm/: the book's Records programs, written for this kit. Each program's
# prerequisites below are exactly the objects `ld` gets, in order.
ASM_INCLUDES := asm/linux.s asm/record-def.s
ASM_PROGS    := $(BUILD)/write-records $(BUILD)/add-year

# error_exit writes through count_chars and write_newline and looks the
# reason up with errno_text, so every program that can fail links those too.
# The two programs that write a file replace it through out-file.o.
RECORD_ERR   := $(OBJ)/asm/error-exit.o $(OBJ)/asm/errno-text.o \
                $(OBJ)/asm/count-chars.o $(OBJ)/asm/write-newline.o

$(BUILD)/write-records: $(OBJ)/asm/write-records.o $(OBJ)/asm/write-record.o \
                        $(OBJ)/asm/out-file.o $(RECORD_ERR)
$(BUILD)/add-year:      $(OBJ)/asm/add-year.o $(OBJ)/asm/read-record.o \
                        $(OBJ)/asm/write-record.o $(OBJ)/asm/out-file.o \
                        $(RECORD_ERR)

# ------------------------------------------------- C harness and examples
# c-harness/: freestanding C (no libc) linked with asm/alloc.o.
# examples/: small programs the docs walk through.
#
# HARNESS_RT is the runtime every C program links first: _start (calls
# main(argc, argv, envp), exits with its result) and rt.o (printing,
# memset/memcpy, the [RUN]/[OK]/[FAIL] reporter). See c-harness/sys.h.
HARNESS_RT := $(OBJ)/c/start.o $(OBJ)/c/rt.o

# DRIVER_PARTS: the trace driver, all but the runtime and its allocator:
# its main (c-harness/trace-driver.c: the options), its parts in
# c-harness/trace/ (out: the buffered output; parse: the trace file;
# check: the checked replay; replay: make bench's unchecked replays; svg:
# the picture), the heap walk, the footprint measure, and out-file.s for
# --svg's output. The hosted drivers (mk/bench.mk) swap replay.o for its
# MEMKIT_HOSTED build.
DRIVER_PARTS := $(OBJ)/c/trace-driver.o \
                $(addprefix $(OBJ)/c/trace/,out.o parse.o check.o replay.o svg.o) \
                $(OBJ)/c/heapmap.o $(OBJ)/c/footprint.o \
                $(OBJ)/asm/out-file.o $(OBJ)/asm/errno-text.o

# make driver-parts: the objects a trace driver links besides its
# allocator, in order (tests/test_helper.bash links fixtures with them).
.PHONY: driver-parts
driver-parts:
	@echo $(HARNESS_RT) $(DRIVER_PARTS)

# CONTRACT_PARTS: alloc-test, the allocator contract, all but the runtime
# and its allocator: its parts in c-harness/contract/ (runner: options
# and one process per case; cases: the property and case tables; heap:
# the helpers; the rest: the cases, by property, and --demo / --bench),
# the heap walk, and the register check. make contract-parts lists them
# (tests/test_helper.bash links fixtures with them).
CONTRACT_PARTS := $(addprefix $(OBJ)/c/contract/,runner.o cases.o heap.o \
                    init.o universal.o random.o fit.o tags.o realloc.o \
                    checker.o designs.o modes.o) \
                  $(OBJ)/c/heapmap.o $(OBJ)/c/callcheck.o

.PHONY: contract-parts
contract-parts:
	@echo $(HARNESS_RT) $(CONTRACT_PARTS)

# The programs that link an allocator. ALLOC_LINKS(DIR, ALLOC-OBJECT) gives
# their link lines in DIR; it is instantiated for the reference in build/
# and, when ALLOC names another allocator, again in build/alloc/TAG/.
# To add a program that links the allocator: add its name to ALLOC_NAMES
# and its line here.
ALLOC_NAMES := alloc-test heap-map alloc-bench read-records book-caller \
               trace-driver
# upcase is exercise 3's answer: a course handout may leave asm/upcase.s
# out (course/withhold), and the kit then builds everything else.
HAVE_UPCASE := $(wildcard asm/upcase.s)
ifneq ($(HAVE_UPCASE),)
ALLOC_NAMES += upcase
endif

define ALLOC_LINKS
$(1)/alloc-test:   $$(HARNESS_RT) $$(CONTRACT_PARTS) $(2)
$(1)/heap-map:     $$(HARNESS_RT) $$(OBJ)/c/heap-map.o $$(OBJ)/c/heapmap.o $(2)
$(1)/alloc-bench:  $$(HARNESS_RT) $$(OBJ)/c/alloc-bench.o $$(OBJ)/c/heapmap.o \
                   $(2)
# read-records keeps its record buffer on the heap: the chapter's allocator.
$(1)/read-records: $$(OBJ)/asm/read-records.o $$(OBJ)/asm/read-record.o \
                   $(2) $$(RECORD_ERR)
$(1)/book-caller:  $$(OBJ)/examples/book-caller.o $(2)
# upcase takes its buffer from the allocator: the chapter's exercise 3.
$(1)/upcase:       $$(OBJ)/asm/upcase.o $$(OBJ)/asm/out-file.o $(2) \
                   $$(RECORD_ERR)
# trace-driver replays tests/traces/*.rep (docs/lab.md, mk/trace.mk).
$(1)/trace-driver: $$(HARNESS_RT) $$(DRIVER_PARTS) $(2)
endef

$(eval $(call ALLOC_LINKS,$(BUILD),$(OBJ)/asm/alloc.o))
C_PROGS  := $(BUILD)/alloc-test $(BUILD)/heap-map $(BUILD)/alloc-bench \
            $(BUILD)/trace-driver
EX_PROGS := $(BUILD)/book-caller
ASM_PROGS += $(BUILD)/read-records $(if $(HAVE_UPCASE),$(BUILD)/upcase)

# Another allocator: its source is staged (copied when it changed) into
# build/alloc/TAG/alloc.s by tools/alloc-resolve, which runs on every make
# so an edited file is always rebuilt; make itself never sees the user's
# path, which may contain spaces. `.include "linux.s"` finds the kit's
# files through -I asm, and the file's own directory comes after it.
ifneq ($(ALLOC_TAG),ref)
ALLOC_PROGS := $(addprefix $(ABUILD)/,$(ALLOC_NAMES))
$(eval $(call ALLOC_LINKS,$(ABUILD),$(ALLOC_OBJ)))

$(ABUILD)/alloc.s: FORCE
	@tools/alloc-resolve --stage $(call shq,$(ALLOC_PATH)) '$(ABUILD)'

$(ALLOC_OBJ): $(ABUILD)/alloc.s $(ASM_INCLUDES)
	@mkdir -p $(@D)
	$(AS) $(ASFLAGS) -I "$$(cat $(ABUILD)/srcdir)" -o $@ $<
endif

.PHONY: FORCE
FORCE:

# make bench: exact instruction counts (tools/icount: qemu-i386 with the
# kit's plugin, any host) for the reference allocator's costs
# (tools/bench.sh, docs/allocator.md), every allocator and glibc's malloc
# over the kit's traces (mk/bench.mk, docs/allocators.md) and a system
# call against a function call (mk/concepts.mk). `bench` installs what is
# missing first (deps-bench) and only then runs `bench-run`, whose
# prerequisites are the measurements, in that order.
.PHONY: bench bench-run bench-alloc
bench-run: bench-alloc
bench-alloc: $(BUILD)/alloc-bench $(PLUGIN)
	@tools/bench.sh

# ---------------------------------------------------- debugging and tracing
# make gdb / make strace and their helpers live in tools/ (see docs/gdb.md).
#
#   make gdb PROG=read-records ARGS=tests/fixtures/test.dat
#       qemu-i386 -g on a free port, gdb-multiarch attached with the kit's
#       script tools/gdb/memkit.gdb (heap, brk, records, cframe)
#   make strace PROG=read-records ARGS=tests/fixtures/test.dat [ONLY=brk]
#       qemu-i386 -strace; ONLY=brk,open keeps only those calls
#       (docs/tracing.md)
PROG ?=
ARGS ?=
ONLY ?=

.PHONY: gdb strace need-prog

# PROG is a name in build/, build/NAME, or any path (the scripts check it
# and list build/'s programs when it is wrong). ARGS travels as one
# string: the scripts take it as one argument when it names a file (a
# path with spaces), else split it like the shell does.
# With ALLOC=..., a bare PROG is the one linked with that allocator
# (build/alloc/TAG/PROG) when it is one of ALLOC_NAMES (tools/find-prog.sh).
gdb: $(if $(PROG),all,need-prog)
	@MEMKIT_ABUILD='$(ABUILD)' MEMKIT_ARGS=$(call shq,$(ARGS)) \
	    tools/gdb-session.sh $(call shq,$(PROG))

strace: $(if $(PROG),all,need-prog)
	@MEMKIT_ABUILD='$(ABUILD)' MEMKIT_ARGS=$(call shq,$(ARGS)) tools/strace.sh \
	    $(if $(ONLY),--only $(call shq,$(ONLY))) $(call shq,$(PROG))

need-prog:
	@echo "usage: make gdb|strace PROG=read-records [ARGS=...] (a program in build/, or a path)" >&2
	@exit 2

# examples/memlayout.c prints its own memory layout (docs/memory-layout.md).
# It is freestanding C on the harness runtime, static like every kit program.
EX_PROGS += $(BUILD)/memlayout
$(BUILD)/memlayout: $(HARNESS_RT) $(OBJ)/examples/memlayout.o

# examples/hello-dynamic.c is the one dynamically linked program: ordinary
# gcc -m32 against the 32-bit libc, for the static-vs-dynamic comparison in
# docs/memory-layout.md. Built only when gcc-multilib is installed (gcc
# then finds a 32-bit crt1.o; without it, it prints the bare name).
HAVE_MULTILIB := $(if $(filter /%,$(shell $(CC) -m32 -print-file-name=crt1.o 2>/dev/null)),yes)
ifeq ($(HAVE_MULTILIB),yes)
DYN_PROGS := $(BUILD)/hello-dynamic
endif

all: $(DYN_PROGS)

$(BUILD)/hello-dynamic: examples/hello-dynamic.c | $(OBJ)/examples
	$(CC) -m32 -O2 -g -Wall -Wextra -o $@ $<
	$(OBJDUMP) -d $@ > $@.lst

# Feature rules that live in their own files (mk/*.mk).
include $(sort $(wildcard mk/*.mk))

# ------------------------------------------------------------------- rules
PROGS := $(ASM_PROGS) $(C_PROGS) $(EX_PROGS)

.PHONY: all demo test deps check-toolchain clean

all: $(PROGS) $(ALLOC_PROGS)

$(OBJ)/asm/%.o: asm/%.s $(ASM_INCLUDES) | $(OBJ)/asm
	$(AS) $(ASFLAGS) -o $@ $<

$(OBJ)/examples/%.o: examples/%.s $(ASM_INCLUDES) | $(OBJ)/examples
	$(AS) $(ASFLAGS) -o $@ $<

$(OBJ)/c/%.o: c-harness/%.s | $(OBJ)/c
	$(AS) $(ASFLAGS) -o $@ $<

$(OBJ)/c/%.o: c-harness/%.c $(wildcard c-harness/*.h) | $(OBJ)/c
	$(CC) $(CFLAGS) -c -o $@ $<

# The trace driver's parts (c-harness/trace/), each with its header there.
$(OBJ)/c/trace/%.o: c-harness/trace/%.c $(wildcard c-harness/*.h) \
                    $(wildcard c-harness/trace/*.h) | $(OBJ)/c/trace
	$(CC) $(CFLAGS) -c -o $@ $<
$(OBJ)/c/trace-driver.o: $(wildcard c-harness/trace/*.h)

# The contract's parts (c-harness/contract/), sharing contract.h.
$(OBJ)/c/contract/%.o: c-harness/contract/%.c $(wildcard c-harness/*.h) \
                       c-harness/contract/contract.h | $(OBJ)/c/contract
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJ)/examples/%.o: examples/%.c $(wildcard c-harness/*.h) | $(OBJ)/examples
	$(CC) $(CFLAGS) -c -o $@ $<

# Link, then write a disassembly listing next to the binary (build/PROG.lst)
# for students who want to see what the assembler made of their source.
$(PROGS) $(ALLOC_PROGS):
	$(LD) $(LDFLAGS) -o $@ $^
	$(OBJDUMP) -d $@ > $@.lst

$(OBJ)/asm $(OBJ)/c $(OBJ)/c/trace $(OBJ)/c/contract $(OBJ)/examples:
	mkdir -p $@

# ------------------------------------------------------ user-facing targets
# Two runs in one checkout at once (make check ALLOC=a beside make check
# ALLOC=b, or the same allocator twice) share build/obj: the build step
# of check, test and demo takes turns on this lock (flock(1), util-linux,
# part of every Debian system), so no run links an object the other is
# still writing. The checks themselves then run side by side.
BUILD_LOCK = mkdir -p $(BUILD) && flock $(BUILD)/.lock

# tools/bootstrap.sh installs what is missing, one group per target:
# demo needs the build tools, test also bats and gdb, bench valgrind and
# gnuplot. deps (and check-toolchain) cover everything.
deps:
	@tools/bootstrap.sh

check-toolchain:
	@tools/bootstrap.sh --check

.PHONY: deps-build deps-test deps-bench
deps-build deps-test deps-bench:
	@tools/bootstrap.sh $(@:deps-%=%)

# deps-bench runs first and alone, as for demo: nothing of the benchmark
# starts before its tools exist.
bench: deps-bench
	@$(MAKE) --no-print-directory bench-run

# deps runs first and alone: the build must not start before the tools exist.
# QEMU= (native runs) on a kernel that cannot run i386 is refused at once,
# in one line, before anything is built (tools/run-i386 --native-check).
demo: deps-build
	@tools/run-i386 --native-check
	@$(BUILD_LOCK) $(MAKE) -s --no-print-directory all
	@tools/demo.sh

# The suite ends with its time, then its summary: N passed, N failed, N skipped.
test: deps-test
	@tools/run-i386 --native-check
	@$(BUILD_LOCK) $(MAKE) --no-print-directory all
	@tools/run-tests.sh

# make mutants: check the checkers. Each tests/mutants/NAME.patch plants
# one bug in a checker; tools/mutants.sh applies each to a scratch copy of
# the kit and expects the tests it names to fail (MUTANTS=NAME... for a
# few). Minutes, not part of make test (tests/mutants.bats runs a few).
MUTANTS ?=
.PHONY: mutants
mutants: deps-test
	@$(MAKE) --no-print-directory all
	@tools/mutants.sh $(MUTANTS)

# make check ALLOC=...: the chosen allocator's checks only, in seconds
# (tools/check.sh): the contract (alloc-test, each case in its own
# process), the heap map, and the trace driver once it is in ALLOC_NAMES.
# Builds only the programs those need. FORMAT=tap prints TAP instead of
# the report; RESULTS=FILE also writes a Gradescope-style results.json;
# TIMEOUT=S gives each contract case S seconds (default 10).
FORMAT  ?=
RESULTS ?=
TIMEOUT ?=
CHECK_PROGS := $(addprefix $(ABUILD)/,$(filter alloc-test heap-map trace-driver,$(ALLOC_NAMES)))

# The programs are built by a sub-make whose output goes to stderr (so
# FORMAT=tap keeps stdout clean); an allocator that does not assemble
# still gets a verdict (and a results.json), never a stale build's, and
# that verdict carries the assembler's own lines (check.sh --build-log).
.PHONY: check
check:
	@case '$(FORMAT)' in ''|tap) ;; *) echo "make check: FORMAT is tap or empty, not '$(FORMAT)'" >&2; exit 2 ;; esac
	@mkdir -p $(BUILD); log=$$(mktemp $(BUILD)/.check-build.XXXXXX) || exit 2; \
	if $(BUILD_LOCK) $(MAKE) --no-print-directory $(CHECK_PROGS) >"$$log" 2>&1; then b=; else b=--build-failed; fi; \
	cat "$$log" >&2; \
	tools/check.sh $$b --build-log "$$log" --alloc $(call shq,$(or $(ALLOC_PATH),ref)) \
	    $(if $(filter tap,$(FORMAT)),--tap) \
	    $(if $(RESULTS),--results-json $(call shq,$(RESULTS))) \
	    $(if $(TIMEOUT),--timeout '$(TIMEOUT)') '$(ABUILD)'; \
	rc=$$?; rm -f "$$log"; exit $$rc

clean:
	rm -rf $(BUILD)

# `make -j8 clean all` would remove build/ while the other goals build into
# it: with clean among several goals, run them one after another.
ifneq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(filter-out clean,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif
endif
