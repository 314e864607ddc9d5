// SPDX-License-Identifier: GPL-2.0
/*
 * The kmap strategy's rules, each a test that fails when the rule is
 * broken: no write through the kernel mapping is lost to reclaim; the
 * mapping follows migration; no page reference is kept; the invalidate
 * callback does not sleep on a non-blockable range, nor wait there for a
 * batch holding map_lock; descriptors that
 * straddle pages are read whole; VM_PFNMAP rings fall back to user
 * access with the reason counted.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/thp.h>
#include "tap.h"
#include "vq_round.h"

static struct mm_struct *mm;

/*
 * Reclaim after the host wrote used entries through the mapping of a
 * page whose PTE is writable and clean: the entries must survive.
 * gup_fast does not dirty such a page; only the map cache can.
 */
static void test_no_write_lost_to_reclaim(void)
{
	struct fixture f;
	unsigned int good;

	fixture_init(&f, mm, VMETA_KMAP, 64, false);
	round_post(&f, 8, 100);
	round_serve(&f, 100);
	round_check(&f, 8, 100);
	/* Make the used page clean and mapped writable: out and back in. */
	is(umm_reclaim_addr(mm, f.g.used), 0, "used ring reclaimed");
	(void)READ_ONCE(f.g.u->idx);

	round_post(&f, 8, 200);
	round_serve(&f, 200);
	ok(f.vq.meta.stats.remaps >= 4, "the host remapped the used ring");
	is(umm_reclaim_addr(mm, f.g.used), 0, "reclaimed again after writes");
	good = round_check(&f, 8, 200);
	is(good, 8, "every used entry written through kmap survived");
	fixture_destroy(&f);
}

static void test_follows_migration(void)
{
	unsigned long inval, remaps, good = 0;
	struct fixture f;
	int i;

	fixture_init(&f, mm, VMETA_KMAP, 64, true);
	round_post(&f, 4, 0);
	round_serve(&f, 0);
	round_check(&f, 4, 0);
	inval = f.vq.meta.stats.invalidations;
	remaps = f.vq.meta.stats.remaps;
	for (i = 1; i <= 50; i++) {
		umm_migrate_addr(mm, f.g.desc);
		umm_migrate_addr(mm, f.g.used);
		round_post(&f, 4, i * 10);
		round_serve(&f, i * 10);
		good += round_check(&f, 4, i * 10);
	}
	is(good, 200, "200 chains right while the rings migrate");
	ok(f.vq.meta.stats.invalidations >= inval + 100,
	   "each migration invalidated the mapping");
	ok(f.vq.meta.stats.remaps >= remaps + 100, "and it was remapped");
	is(f.vq.meta.stats.fallbacks[VMETA_FB_GUP], 0, "without fallbacks");
	fixture_destroy(&f);
}

static void test_no_reference_kept(void)
{
	struct fixture f;
	struct page *page;

	fixture_init(&f, mm, VMETA_KMAP, 64, false);
	round_post(&f, 4, 0);
	round_serve(&f, 0);
	page = umm_page_at(mm, f.g.used);
	is(page_count(page), 2, "the used page: its PTE and our lookup only");
	put_page(page);
	is(umm_migrate_addr(mm, f.g.used), 0, "so it can migrate");
	fixture_destroy(&f);
}

static void test_nonblock_invalidate(void)
{
	struct mmu_notifier_range range;
	unsigned long before = umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC);
	unsigned long inval;
	struct fixture f;

	fixture_init(&f, mm, VMETA_KMAP, 64, false);
	round_post(&f, 4, 0);
	round_serve(&f, 0);
	inval = f.vq.meta.stats.invalidations;
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, f.ring,
				f.ring + guest_vring_size(64));
	is(mmu_notifier_invalidate_range_start_nonblock(&range), 0,
	   "a non-blockable invalidation is accepted");
	mmu_notifier_invalidate_range_end(&range);
	is(umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC), before,
	   "and the callback did not sleep");
	ok(f.vq.meta.stats.invalidations > inval, "it invalidated the map");
	fixture_destroy(&f);
}

struct lock_holder {
	spinlock_t *lock;
	int held;		/* set once the lock is taken */
};

/* A batch, as far as map_lock goes: holds it for 200 ms. */
static void *hold_lock(void *arg)
{
	struct lock_holder *h = arg;

	spin_lock(h->lock);
	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	usleep(200 * 1000);
	spin_unlock(h->lock);
	return NULL;
}

/*
 * The OOM reaper's non-blockable invalidation while a batch holds
 * map_lock: the callback must refuse, not wait (on PREEMPT_RT the holder
 * may be preempted), and accept when the reaper comes back.  A callback
 * that waited would get the lock after 200 ms and accept at once.
 */
static void test_nonblock_busy(void)
{
	struct lock_holder h = { 0 };
	struct mmu_notifier_range range;
	unsigned long inval;
	struct fixture f;
	pthread_t t;
	int ret;

	fixture_init(&f, mm, VMETA_KMAP, 64, false);
	round_post(&f, 4, 0);
	round_serve(&f, 0);
	round_check(&f, 4, 0);
	inval = f.vq.meta.stats.invalidations;
	h.lock = &f.vq.meta.map_lock;
	pthread_create(&t, NULL, hold_lock, &h);
	while (!__atomic_load_n(&h.held, __ATOMIC_ACQUIRE))
		sched_yield();
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, f.ring,
				f.ring + guest_vring_size(64));
	ret = mmu_notifier_invalidate_range_start_nonblock(&range);
	is(ret, -EAGAIN,
	   "a non-blockable invalidation during a batch is refused");
	if (!ret)	/* it waited: end it, or the next begin waits forever */
		mmu_notifier_invalidate_range_end(&range);
	pthread_join(t, NULL);
	is(f.vq.meta.stats.invalidations, inval, "and invalidated nothing");
	is(mmu_notifier_invalidate_range_start_nonblock(&range), 0,
	   "after the batch it is accepted");
	mmu_notifier_invalidate_range_end(&range);
	ok(f.vq.meta.stats.invalidations > inval, "and invalidated the map");
	round_post(&f, 4, 10);
	round_serve(&f, 10);
	is(round_check(&f, 4, 10), 4, "the queue goes on");
	fixture_destroy(&f);
}

static void test_straddling_descriptors(void)
{
	struct fixture f;
	unsigned int good;

	/* Descriptors at page offset 4088: entry 0 straddles two pages. */
	fixture_init_at(&f, mm, VMETA_KMAP, 64, false, PAGE_SIZE - 8);
	round_post(&f, 16, 50);
	is(round_serve(&f, 50), 16, "16 chains through misaligned descriptors");
	good = round_check(&f, 16, 50);
	is(good, 16, "all right");
	ok(f.vq.meta.stats.hits > 0 && !f.vq.broken, "through the mapping");
	fixture_destroy(&f);
}

static void test_pfnmap_fallback(void)
{
	const struct umm_phys_range *r;
	struct fixture f;
	unsigned long dev = 0;
	long ring;

	for (r = umm_phys_layout(); r->end; r++)
		if (r->kind == UMM_PFN_DEVICE)
			dev = r->start;
	ring = umm_mmap_pfn(mm, guest_vring_size(64), dev,
			    PROT_READ | PROT_WRITE);
	memset(&f, 0, sizeof(f));
	f.mm = mm;
	f.ring = ring;
	f.data = umm_mmap(mm, 0, FIX_DATA_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	guest_vring_init(&f.g, mm, ring, 64, false);
	memset(f.g.d, 0, guest_vring_size(64));
	{
		struct vmeta_vq_config cfg = {
			.num = 64, .desc = f.g.desc, .avail = f.g.avail,
			.used = f.g.used, .strategy = VMETA_KMAP, .mm = mm };

		vmeta_vq_init(&f.vq, &cfg);
	}
	round_post(&f, 4, 7);
	is(round_serve(&f, 7), 4, "rings in VM_PFNMAP memory still work");
	is(round_check(&f, 4, 7), 4, "correctly");
	ok(f.vq.meta.stats.fallbacks[VMETA_FB_PFNMAP] > 0 &&
	   !f.vq.meta.stats.hits, "through user access, reason PFNMAP");
	vmeta_vq_destroy(&f.vq);
	guest_vring_free(&f.g);
	umm_munmap(mm, ring, guest_vring_size(64));
	umm_munmap(mm, f.data, FIX_DATA_SIZE);
}

/*
 * A descriptor table and avail ring the guest never wrote, on the huge
 * zero page (a read fault in a THP-capable VMA), are ordinary refcounted
 * RAM to gup: read through the direct map, no fallback.
 */
static void test_huge_zero_page_rings(void)
{
	unsigned long region, z, used;
	struct vmeta_vq_config cfg = { .num = 64, .strategy = VMETA_KMAP,
				       .mm = mm };
	struct vmeta_chain c;
	struct vmeta_vq vq;
	pmd_t *pmdp, pmd = { 0 };
	u32 word;

	region = umm_mmap(mm, 0, 2 * PMD_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	used = umm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	umm_madvise(mm, region, 2 * PMD_SIZE, MADV_HUGEPAGE);
	z = ALIGN(region, PMD_SIZE);
	umm_user_read(&word, umm_user_ptr(mm, z), sizeof(word));
	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, z);
	if (pmdp)
		pmd = *pmdp;
	spin_unlock(&mm->page_table_lock);
	ok(is_huge_zero_pmd(pmd), "desc and avail on the huge zero page");
	cfg.desc = z;
	cfg.avail = z + 16 * 64;
	cfg.used = used;
	is(vmeta_vq_init(&vq, &cfg), 0, "a kmap queue over them");
	vmeta_vq_begin(&vq);
	is(vmeta_vq_get_chain(&vq, &c), 0, "nothing available");
	vmeta_vq_end(&vq);
	ok(vq.meta.stats.hits == 1 && !vmeta_meta_fallbacks(&vq.meta.stats),
	   "read through the direct map, no fallback");
	vmeta_vq_destroy(&vq);
	umm_munmap(mm, region, 2 * PMD_SIZE);
	umm_munmap(mm, used, PAGE_SIZE);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 128 };

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	if (fixture_skip_on_vivt())
		return 0;
	mm = umm_mm_create();
	umm_use_mm(mm);
	test_no_write_lost_to_reclaim();
	test_follows_migration();
	test_no_reference_kept();
	test_nonblock_invalidate();
	test_nonblock_busy();
	test_straddling_descriptors();
	test_pfnmap_fallback();
	test_huge_zero_page_rings();
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
