# vmeta: one GNU Makefile for everything userspace.
#
#   make            build the lab (umm), core, tests and build/vmeta
#   make check      run every test through prove (TAP)
#   make bench      the benchmarks (build/vmeta bench; BENCH_ARGS=...)
#   make kbuild     core/ as a module against Debian's 6.1, 6.12, 6.12-rt
#   make kcheck     vmeta.ko on 6.1, 6.12 and 6.12 PREEMPT_RT under QEMU
#   make kcheck-debug  the same on our KASAN + lockdep + kmemleak 6.1
#   make kcheck-debug-plants  each planted bug class must be reported
#   make sanitize   the tests under ASan + UBSan (build/asan/)
#   make tsan       the tests under ThreadSanitizer (build/tsan/)
#   make cachecheck the tests in the cache-checking flavour, once per
#                   cache model (build/cache/; Documentation/cache-models.md)
#
# CC=clang works as well as gcc; both build with -Werror.

CC	?= gcc
O	?= build
SANFLAGS ?=

CFLAGS	:= -std=gnu11 -O2 -g -pthread -D_GNU_SOURCE \
	   -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	   -Wno-missing-field-initializers \
	   -Iumm/include -Icore -Iguest -Itests/common $(SANFLAGS) $(EXTRA_CFLAGS)
LDFLAGS	:= -pthread -rdynamic $(SANFLAGS)
LDLIBS	:= -lurcu-memb

UMM_SRC	 := $(wildcard umm/*.c)
UMM_OBJ	 := $(UMM_SRC:%.c=$(O)/%.o)
# core/ is kernel code; guest/ the lab's guest driver.  Both over umm.
VM_SRC	 := $(wildcard core/*.c guest/*.c)
VM_OBJ	 := $(VM_SRC:%.c=$(O)/%.o)
TEST_SRC := $(wildcard tests/*/test_*.c)
TESTS	 := $(TEST_SRC:%.c=$(O)/%)
TOOL_SRC := $(wildcard tools/*.c)
TOOL_OBJ := $(TOOL_SRC:%.c=$(O)/%.o)
VMETA	 := $(O)/vmeta

.PHONY: all check sanitize tsan cachecheck deps clean bench kbuild kcheck \
	kcheck-debug kcheck-debug-plants
.SECONDARY:

all: deps $(TESTS) $(VMETA)

deps:
	@scripts/deps.sh build

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/libumm.a: $(UMM_OBJ)
	@echo "  AR      $@"
	@$(AR) rcs $@ $^

$(O)/libvmeta.a: $(VM_OBJ)
	@echo "  AR      $@"
	@$(AR) rcs $@ $^

$(VMETA): $(TOOL_OBJ) $(O)/libvmeta.a $(O)/libumm.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lm

$(O)/tests/%: $(O)/tests/%.o $(O)/libvmeta.a $(O)/libumm.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

check: all
	VMETA=$(CURDIR)/$(VMETA) prove --exec '' $(TESTS)

# The main job: every strategy, side by side (tools/bench.c).
bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory $(VMETA)
	$(VMETA) bench $(BENCH_ARGS)

sanitize: deps
	ASAN_OPTIONS="allow_user_segv_handler=1" $(MAKE) O=build/asan SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" check

# TSan does not model stand-alone fences (gcc warns, -Wtsan): the lab's
# fences all sit next to atomic read-modify-writes that TSan does see.
# tests/tsan.supp says why the rest of its options are what they are.
tsan: deps
	TSAN_OPTIONS="report_signal_unsafe=0 suppressions=$(CURDIR)/tests/tsan.supp" \
	$(MAKE) O=build/tsan SANFLAGS="-fsanitize=thread -Wno-tsan" check

# core/ as a Linux module for Debian's current 6.1 and 6.12 cloud kernels
# and its 6.12 PREEMPT_RT kernel (headers installed by scripts/kheaders.sh):
# it must build unmodified.
kbuild:
	+scripts/kbuild.sh 6.1 6.12 6.12-rt

# The cache-checking flavour: every access of kernel-side code, the user
# accessors and the guest driver goes through the cache model; each run
# picks its architecture from UMM_ARCH.  Every architecture runs, and the
# target fails if any did.
CACHE_ARCHS ?= x86 parisc armv6 mips-r4k armv5
CACHE_TESTS := $(TEST_SRC:%.c=build/cache/%)

cachecheck: deps
	@$(MAKE) --no-print-directory O=build/cache \
		EXTRA_CFLAGS="-DUMM_CACHE_CHECK $(EXTRA_CFLAGS)" all
	@fail=; for a in $(CACHE_ARCHS); do \
		echo "== UMM_ARCH=$$a"; \
		UMM_ARCH=$$a VMETA=$(CURDIR)/build/cache/vmeta \
			prove --exec '' $(CACHE_TESTS) || fail="$$fail $$a"; \
	done; \
	if [ -n "$$fail" ]; then echo "cachecheck failed on:$$fail"; exit 1; fi

# vmeta.ko's /dev/vhost-test booted under QEMU (TCG) on the three kernels
# and driven by Linux's tools/virtio/virtio_test (scripts/kcheck.sh).
kcheck:
	+scripts/kcheck.sh 6.1 6.12 6.12-rt

# The same suite on our own 6.1 with KASAN, lockdep, kmemleak & co.
# (scripts/kdebug.sh builds it once, cached in /var/cache/vmeta/kdebug).
# PLANT=name builds vmeta.ko with one planted bug (core/vmeta_plant.h);
# kcheck-debug-plants requires that the tier reports each of them.
kcheck-debug:
	+VMETA_PLANT=$(PLANT) scripts/kcheck.sh debug

kcheck-debug-plants:
	+scripts/kdebug-plants.sh

clean:
	rm -rf build

# build/kcheck holds unpacked packages and Linux's tools: not ours.
-include $(shell find $(O) -path $(O)/kcheck -prune -o -type f -name '*.d' \
	     -print 2>/dev/null)
