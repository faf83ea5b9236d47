# course.mk — the kit as a graded lab (docs/teaching.md).
#
#   make handout      build/handout/memkit-handout.tar.gz: the kit without
#                     what course/withhold names (tools/course/handout.sh)
#   make handin ALLOC=mine.s [HANDIN_USER=name]
#                     check the allocator, then write
#                     handin-USER-DATE.tar.gz with it alone (students)
#   make autograder   build/autograder/autograder.zip for Gradescope
#   make autolab      build/autolab/autograde.tar and autograde-Makefile
#
# What the graders give points for, and the performance score, are set in
# course/grading.conf; the held-out traces are course/traces/*.rep.

HANDIN_USER ?=

.PHONY: handout handin autograder autolab handout-test

handout:
	@tools/course/handout.sh

# The full check of a handout: unpack it in a fresh folder, run its
# make demo and make test (minutes; tests/course.bats runs a part).
handout-test: handout
	@tools/course/handout-test.sh build/handout/memkit-handout.tar.gz

handin:
	@HANDIN_USER='$(HANDIN_USER)' tools/course/handin.sh '$(ALLOC)'

autograder: handout
	@tools/course/package.sh gradescope

autolab: handout
	@tools/course/package.sh autolab
