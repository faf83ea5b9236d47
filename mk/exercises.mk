# exercises.mk — programs that belong to docs/exercises.md.
#
# examples/add-year-heap.s is asm/add-year.s with the chapter's third
# exercise done (its record buffer from allocate); docs/exercises.md shows
# the difference. Its link line is add-year's with alloc.o added.
# A course handout may leave it out (course/withhold): then it is not built.
ifneq ($(wildcard examples/add-year-heap.s),)
EX_PROGS += $(BUILD)/add-year-heap

$(BUILD)/add-year-heap: $(OBJ)/examples/add-year-heap.o \
                        $(OBJ)/asm/read-record.o $(OBJ)/asm/write-record.o \
                        $(OBJ)/asm/out-file.o $(OBJ)/asm/alloc.o $(RECORD_ERR)
endif
