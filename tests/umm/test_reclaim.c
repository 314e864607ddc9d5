// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim and migration: data survives both; a page written through a
 * kernel mapping without set_page_dirty() is reclaimed clean and its
 * data is lost, exactly as in Linux (the failure the map cache must
 * never cause); pinned pages stay put; a user thread keeps working
 * while its pages are migrated and reclaimed under it.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <linux/errno.h>
#include <linux/pgtable.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/swap.h>
#include "tap.h"

static struct mm_struct *mm;

static pte_t pte_at(unsigned long addr)
{
	pte_t *ptep, v = { 0 };

	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr);
	if (ptep)
		v = *ptep;
	spin_unlock(&mm->page_table_lock);
	return v;
}

static volatile u32 *uptr(unsigned long addr)
{
	return umm_user_ptr(mm, addr);
}

static void test_reclaim_roundtrip(unsigned long a)
{
	unsigned long writes = umm_swap_writes();
	unsigned long free_before;

	uptr(a)[0] = 0xabcd;
	free_before = umm_nr_free_pages();
	is(umm_reclaim_addr(mm, a), 0, "reclaim a dirty anonymous page");
	ok(pte_swp(pte_at(a)), "its PTE is a swap entry");
	is(umm_swap_writes(), writes + 1, "it was written to the store");
	is(umm_nr_free_pages(), free_before + 1, "and its frame freed");
	is(uptr(a)[0], 0xabcd, "a refault reads it back");
	ok(!pte_dirty(pte_at(a)), "clean after swap-in");
	is(umm_reclaim_addr(mm, a), 0, "reclaim it again, clean");
	is(umm_swap_writes(), writes + 1, "no write: the store has it");
	is(uptr(a)[0], 0xabcd, "still the same data");
}

/* A kernel write through the direct map leaves PTE and page clean. */
static void kernel_write(unsigned long a, u32 val, bool dirty)
{
	struct page *page = umm_page_at(mm, a);

	*(volatile u32 *)umm_pfn_host(page_to_pfn(page)) = val;
	if (dirty)
		set_page_dirty(page);
	put_page(page);
}

static void test_lost_dirty_bit(unsigned long a)
{
	uptr(a)[0] = 1;
	umm_reclaim_addr(mm, a);
	(void)uptr(a)[0];		/* swap in: clean, slot kept */
	kernel_write(a, 2, false);
	is(uptr(a)[0], 2, "the user sees the kernel's write");
	is(umm_reclaim_addr(mm, a), 0, "reclaim");
	is(uptr(a)[0], 1, "without set_page_dirty the write is lost");

	kernel_write(a, 3, true);
	is(umm_reclaim_addr(mm, a), 0, "reclaim after set_page_dirty");
	is(uptr(a)[0], 3, "the write survives");
}

static void test_migrate(unsigned long a)
{
	unsigned long pfn;
	struct page *pages[1];

	uptr(a)[5] = 0x55;
	pfn = pte_pfn(pte_at(a));
	is(umm_migrate_addr(mm, a), 0, "migrate a page");
	ok(pte_pfn(pte_at(a)) != pfn, "to another pfn");
	ok(pte_dirty(pte_at(a)) && pte_write(pte_at(a)),
	   "keeping the PTE's dirty and write bits");
	is(uptr(a)[5], 0x55, "with its content");

	pfn = pte_pfn(pte_at(a));
	is(pin_user_pages_fast(a, 1, FOLL_WRITE, pages), 1, "pin it");
	is(umm_migrate_addr(mm, a), -EBUSY, "a pinned page does not move");
	is(umm_reclaim_addr(mm, a), -EBUSY, "nor is it reclaimed");
	is(pte_pfn(pte_at(a)), pfn, "and stays mapped where it was");
	unpin_user_page(pages[0]);

	is(get_user_pages_fast(a, 1, 0, pages), 1, "a plain gup reference");
	is(umm_migrate_addr(mm, a), -EBUSY, "also keeps it in place");
	is(pte_pfn(pte_at(a)), pfn, "restored to the same pfn");
	put_page(pages[0]);
	is(uptr(a)[5], 0x55, "content intact");
}

/*
 * A swapped-in page keeps its slot (the swap cache); migration must move
 * the cache entry to the new page, or a later swap-in of that slot finds
 * the old page, freed and perhaps reused.
 */
static void test_migrate_swap_cache(unsigned long a)
{
	struct page *page, *cached;
	unsigned long slot;

	uptr(a)[0] = 0x5a5a;
	umm_reclaim_addr(mm, a);
	(void)uptr(a)[0];		/* swap in: the page caches the slot */
	is(umm_migrate_addr(mm, a), 0, "migrate a swap-cache page");
	page = umm_page_at(mm, a);
	slot = page->private;
	ok(PageSwapCache(page), "the new page holds the slot");
	cached = umm_swap_cache_lookup(slot);
	ok(cached == page, "and the swap cache finds the new page");
	if (cached)
		put_page(cached);
	put_page(page);
	is(umm_reclaim_addr(mm, a), 0, "reclaim it");
	is(uptr(a)[0], 0x5a5a, "a refault reads the right data");
}

/*
 * A slot shared with a fork child: the parent swaps the page in, the
 * child's swap-in finds it in the swap cache.  Only the child's swap
 * entry still holds the slot, but the page is the parent's too: the
 * child must get it read-only and copy it on write.
 */
static void test_swapin_shared_with_child(unsigned long a)
{
	struct mm_struct *child;

	uptr(a)[0] = 1;
	is(umm_reclaim_addr(mm, a), 0, "reclaim a page");
	child = umm_fork(mm);
	is(uptr(a)[0], 1, "the parent swaps it in");
	*(volatile u32 *)umm_user_ptr(child, a) = 2;
	is(uptr(a)[0], 1, "the child's write after its swap-in stays its own");
	is(*(volatile u32 *)umm_user_ptr(child, a), 2, "the child sees it");
	mmput(child);
}

static void test_shared_file(void)
{
	struct umm_file *f = umm_file_create(4 * PAGE_SIZE, false);
	long a = umm_mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, f, 0);
	struct mm_struct *other = umm_mm_create();
	long b = umm_mmap(other, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED, f, 0);

	uptr(a + PAGE_SIZE)[0] = 77;
	is(((volatile u32 *)umm_user_ptr(other, b + PAGE_SIZE))[0], 77,
	   "two mms share a file page");
	is(umm_reclaim_addr(mm, a + PAGE_SIZE), 0, "reclaim it");
	ok(pte_none(pte_at(a + PAGE_SIZE)), "unmapped from the first mm");
	is(((volatile u32 *)umm_user_ptr(other, b + PAGE_SIZE))[0], 77,
	   "the second mm refaults it from the store");
	is(umm_migrate_addr(other, b + PAGE_SIZE), 0, "migrate it");
	is(uptr(a + PAGE_SIZE)[0], 77, "both still see it");
	umm_munmap(mm, a, 4 * PAGE_SIZE);
	mmput(other);
	umm_file_put(f);
}

#define NPAGES	8
static bool stop;			/* atomic */
static unsigned long race_base;

/* The child's store: a COW copy that the parent must never see. */
static __umm_user_code void child_write(struct mm_struct *child,
					unsigned long addr)
{
	*(volatile u32 *)umm_user_ptr(child, addr) = 0xdead;
}

/* A user thread: each page holds the last value written to it. */
static __umm_user_code void *user_thread(void *arg)
{
	u32 last[NPAGES] = { 0 }, *bad = arg, round;
	int i;

	for (round = 1; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); round++) {
		for (i = 0; i < NPAGES; i++) {
			volatile u32 *p = uptr(race_base + i * PAGE_SIZE);

			if (*p != last[i])
				(*bad)++;
			*p = round;
			last[i] = round;
		}
	}
	return NULL;
}

/* A fork whose child writes every page (COW) and exits. */
static unsigned long fork_and_write(void)
{
	struct mm_struct *child = umm_fork(mm);
	int j;

	if (!child)
		return 0;
	for (j = 0; j < NPAGES; j++)
		child_write(child, race_base + j * PAGE_SIZE);
	mmput(child);
	return 1;
}

static void test_under_user_thread(void)
{
	unsigned long moved = 0, reclaimed = 0, forks = 0, i;
	time_t deadline = time(NULL) + 10;
	u32 bad = 0;
	pthread_t t;

	race_base = umm_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	pthread_create(&t, NULL, user_thread, &bad);
	/* Until each has happened often, or ten seconds. */
	for (i = 0; (moved < 500 || reclaimed < 500) && time(NULL) < deadline;
	     i++) {
		unsigned long addr = race_base + (i % NPAGES) * PAGE_SIZE;

		if (i % 16 == 15)
			forks += fork_and_write();
		else if (i & 1)
			moved += !umm_migrate_addr(mm, addr);
		else
			reclaimed += !umm_reclaim_addr(mm, addr);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	ok(moved >= 500 && reclaimed >= 500 && forks > 0,
	   "pages migrated, reclaimed and forked under a running user thread");
	diag("%lu migrated, %lu reclaimed, %lu forks", moved, reclaimed, forks);
	is(bad, 0, "the user thread never read a stale value");
	umm_munmap(mm, race_base, NPAGES * PAGE_SIZE);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };
	unsigned long free_before;
	long a;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);
	free_before = umm_nr_free_pages();
	a = umm_mmap(mm, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	test_reclaim_roundtrip(a);
	test_lost_dirty_bit(a + PAGE_SIZE);
	test_migrate(a + 2 * PAGE_SIZE);
	test_migrate_swap_cache(a + 3 * PAGE_SIZE);
	test_swapin_shared_with_child(a + 4 * PAGE_SIZE);
	test_shared_file();
	test_under_user_thread();
	umm_munmap(mm, a, 16 * PAGE_SIZE);
	is(umm_nr_free_pages(), free_before, "every page came back");
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
