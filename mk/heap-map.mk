# heap-map.mk — build the heap-map program for size.
#
# Under qemu-i386 the initial break is the page after a program's last
# byte, so every page heap-map's code grows by moves the addresses its
# maps print. The README and docs quote the fixed sequence's maps with
# real addresses (tests/demo.bats compares them), so heap-map.c, which
# also explains every step (captions computed from the heap), is compiled
# with -Os to stay within the pages it had. The later -Os wins over
# CFLAGS' -O2.
$(OBJ)/c/heap-map.o: CFLAGS += -Os
