# fixtures.mk — the broken allocators tests/check.bats runs, made from
# their patches (tools/apply-defect.sh): tests/fixtures/broken/NAME.patch
# becomes tests/fixtures/broken/NAME.s beside it (not committed), the
# allocator the patch names with one defect put in. docs/allocator.md.
BROKEN_PATCHES := $(wildcard tests/fixtures/broken/*.patch)
BROKEN_ALLOCS  := $(BROKEN_PATCHES:.patch=.s)

all: $(BROKEN_ALLOCS)

$(BROKEN_ALLOCS): %.s: %.patch asm/alloc.s tests/fixtures/good/split.s \
                  tools/apply-defect.sh
	@tools/apply-defect.sh $< $@

.PHONY: clean-fixtures
clean: clean-fixtures
clean-fixtures:
	rm -f $(BROKEN_ALLOCS)
