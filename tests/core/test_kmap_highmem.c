// SPDX-License-Identifier: GPL-2.0
/*
 * kmap under HIGHMEM: ring pages without a direct-map address are reached
 * with kmap_local_page() per access, and everything else holds.
 */
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include "tap.h"
#include "vq_round.h"

int main(void)
{
	struct umm_config cfg = { .ram_mb = 128, .highmem_mb = 48 };
	struct mm_struct *mm;
	struct fixture f;
	unsigned int i, good = 0;
	struct page *page;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	if (fixture_skip_on_vivt())
		return 0;
	mm = umm_mm_create();
	umm_use_mm(mm);
	fixture_init_at(&f, mm, VMETA_KMAP, 64, true, PAGE_SIZE - 8);
	round_post(&f, 8, 0);
	round_serve(&f, 0);
	round_check(&f, 8, 0);
	page = umm_page_at(mm, f.g.used);
	ok(page && PageHighMem(page), "the used ring is in HIGHMEM");
	ok(!f.vq.meta.area[VMETA_USED].kaddr[0] &&
	   !f.vq.meta.area[VMETA_USED].linear,
	   "so the map cache has no direct-map address for it");
	put_page(page);
	for (i = 1; i <= 20; i++) {
		round_post(&f, 8, i * 100);
		round_serve(&f, i * 100);
		good += round_check(&f, 8, i * 100);
		umm_migrate_addr(mm, f.g.used);
	}
	is(good, 160, "160 chains right through kmap_local_page, straddling "
	   "descriptors and migrations");
	ok(f.vq.meta.stats.hits >= 20 && !f.vq.broken,
	   "through the mapping");
	fixture_destroy(&f);
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
