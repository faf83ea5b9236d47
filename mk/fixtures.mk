# fixtures.mk — the test allocators that are a few lines away from
# another one, made from their patches (tools/fixture-from-patch.sh):
# tests/fixtures/{broken,good,layouts}/NAME.patch becomes NAME.s beside
# it (not committed). docs/allocator.md.
FIXTURE_PATCHES := $(wildcard tests/fixtures/broken/*.patch \
                              tests/fixtures/good/*.patch \
                              tests/fixtures/layouts/*.patch)
FIXTURE_ALLOCS  := $(FIXTURE_PATCHES:.patch=.s)

all: $(FIXTURE_ALLOCS)

$(FIXTURE_ALLOCS): %.s: %.patch asm/alloc.s tools/fixture-from-patch.sh
	@tools/fixture-from-patch.sh $< $@

# The broken splits are made from the correct one.
$(filter tests/fixtures/broken/%,$(FIXTURE_ALLOCS)): tests/fixtures/good/split.s

.PHONY: clean-fixtures
clean: clean-fixtures
clean-fixtures:
	rm -f $(FIXTURE_ALLOCS)
