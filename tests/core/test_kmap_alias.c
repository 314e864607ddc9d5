// SPDX-License-Identifier: GPL-2.0
/*
 * The map cache on aliasing data caches (core/vmeta_meta.c): on every
 * virtually indexed model KMAP keeps no kernel address and maps each page
 * per access at the user's colour (kmap_coherent), issuing no flush; on
 * VIVT, where no such window exists, it runs through user access with the
 * reason "alias"; VMAP and VMAP_PIN do so on every aliasing model.  The
 * chains come back right in every case.
 *
 * That the colour windows read no stale line and lose no write is shown by
 * `make cachecheck`, whose build lets the models see core/'s accesses:
 * there the whole suite and the torture run on every model, and a kernel
 * address of the wrong colour is reported as a stale read (as it was
 * before KMAP used these windows).
 */
#include <stdarg.h>
#include <stdio.h>
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include "tap.h"
#include "vq_round.h"

static struct mm_struct *mm;

/* A test name, formatted; valid until the next call. */
static const char *name(const char *fmt, ...)
{
	static char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/*
 * Flush calls the host's batches made after the first (which faults the
 * used ring in through gup's slow path, and that flushes as Linux's does).
 */
static unsigned long host_flushes;

/*
 * 20 rounds of 8 chains on a fresh @s queue, the used ring migrated
 * half-way; how many came back right.
 */
static unsigned int traffic(struct fixture *f, enum vmeta_strategy s)
{
	struct umm_cache_stats before, after;
	unsigned int i, good = 0;

	host_flushes = 0;
	fixture_init(f, mm, s, 64, true);
	for (i = 1; i <= 20; i++) {
		round_post(f, 8, i * 100);
		umm_cache_get_stats(&before);
		round_serve(f, i * 100);
		umm_cache_get_stats(&after);
		if (i > 1)
			host_flushes += after.flush_calls - before.flush_calls;
		good += round_check(f, 8, i * 100);
		if (i == 10)	/* the pages move: the window follows */
			umm_migrate_addr(mm, f->g.used);
	}
	return good;
}

static const char *arch_name(void)
{
	return umm_cache_arch_name(umm_cache_arch());
}

static void test_kmap_at_user_colour(void)
{
	struct vmeta_meta_stats *st;
	struct vmeta_area *used;
	struct fixture f;
	unsigned int good;

	good = traffic(&f, VMETA_KMAP);
	st = &f.vq.meta.stats;
	used = &f.vq.meta.area[VMETA_USED];
	is(good, 160, name("%s: kmap: 160 chains right", arch_name()));
	ok(st->hits >= 20 && !st->fallbacks[VMETA_FB_ALIAS] &&
	   st->invalidations > 0,
	   name("%s: kmap: through the mapping, remapped after migration",
		arch_name()));
	ok(used->coherent && !used->kaddr[0] && !used->linear,
	   name("%s: kmap: no kernel address kept, a window per access",
		arch_name()));
	is(host_flushes, 0, name("%s: kmap: the host's batches flush nothing",
				 arch_name()));
	fixture_destroy(&f);
}

static void test_falls_back(enum vmeta_strategy s)
{
	struct vmeta_meta_stats *st;
	struct fixture f;
	unsigned int good;

	good = traffic(&f, s);
	st = &f.vq.meta.stats;
	is(good, 160, name("%s: %s: 160 chains right", arch_name(),
			   vmeta_strategy_name(s)));
	ok(!st->hits && st->fallbacks[VMETA_FB_ALIAS] >= 20 && !st->remaps,
	   name("%s: %s: every batch through user access, reason alias",
		arch_name(), vmeta_strategy_name(s)));
	fixture_destroy(&f);
}

static void test_x86_direct_map(void)
{
	struct fixture f;

	is(traffic(&f, VMETA_KMAP), 160, "x86: kmap: 160 chains right");
	ok(!f.vq.meta.area[VMETA_USED].coherent &&
	   f.vq.meta.area[VMETA_USED].kaddr[0] &&
	   !f.vq.meta.stats.fallbacks[VMETA_FB_ALIAS],
	   "x86: kmap: the direct map, no colour to match");
	fixture_destroy(&f);
}

int main(void)
{
	static const int vipt[] = { UMM_ARCH_PARISC, UMM_ARCH_ARMV6,
				    UMM_ARCH_MIPS_R4K };
	struct umm_config cfg = { .ram_mb = 128 };
	unsigned int i;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);
	umm_cache_set_arch(UMM_ARCH_X86);
	test_x86_direct_map();
	for (i = 0; i < ARRAY_SIZE(vipt); i++) {
		umm_cache_set_arch(vipt[i]);
		test_kmap_at_user_colour();
		test_falls_back(VMETA_VMAP);
		test_falls_back(VMETA_VMAP_PIN);
	}
	umm_cache_set_arch(UMM_ARCH_ARMV5);
	test_falls_back(VMETA_KMAP);
	test_falls_back(VMETA_VMAP);
	umm_cache_set_arch(UMM_ARCH_X86);
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
