/* replay.h — the trace's calls alone, unchecked, for make bench's two
 * measures (c-harness/trace/replay.c, tools/bench-all.sh):
 *
 *   unsigned bench_replay(void);   0, or the number of the op that got
 *                                  NULL: the calls and nothing else, what
 *                                  tools/icount counts (--window and
 *                                  --code bench_replay)
 *   int bench_trace(void);         allocate_init, bench_replay, a line
 *                                  `bench: N ops replayed`; 0, or 1 after
 *                                  saying why on stderr
 *   int footprint_trace(void);     the calls with every payload written,
 *                                  the peak of the pages the process
 *                                  holds (c-harness/footprint.h) in a
 *                                  line `footprint: ...`; 0, or 1
 *
 * Both replay ops[0..n_ops) (trace/parse.h) once. replay.c is compiled
 * twice: as is for the kit's allocators, and with MEMKIT_HOSTED for a C
 * library's malloc (c-harness/glibc-shim.c, mk/bench.mk).
 */
#ifndef MEMKIT_TRACE_REPLAY_H
#define MEMKIT_TRACE_REPLAY_H

unsigned bench_replay(void);
int bench_trace(void);
int footprint_trace(void);

#endif
