// SPDX-License-Identifier: GPL-2.0
/*
 * gup: the slow path faults, breaks COW and dirties; the fast path only
 * takes what is mapped with the access allowed, never dirties, refuses
 * special PTEs, and is safe against a concurrent munmap.
 */
#include <pthread.h>
#include <linux/errno.h>
#include <linux/pgtable.h>
#include <umm/mm.h>
#include <umm/phys.h>
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

static void test_fast_and_slow(unsigned long a)
{
	struct page *pages[4];
	long n;
	int ref;

	is(get_user_pages_fast_only(a, 1, 0, pages), 0,
	   "fast-only takes nothing that is not mapped");
	*(volatile int *)umm_user_ptr(mm, a);	/* read fault: zero page */
	is(get_user_pages_fast_only(a, 1, FOLL_WRITE, pages), 0,
	   "fast-only refuses a write to the read-only zero page");
	is(get_user_pages_fast(a, 1, FOLL_WRITE, pages), 1,
	   "get_user_pages_fast falls back and breaks COW");
	ok(page_to_pfn(pages[0]) != umm_zero_pfn, "a private page now");
	ok(pte_dirty(pte_at(a)), "the slow path dirtied the PTE");
	ref = page_count(pages[0]);
	is(ref, 2, "mapping + gup reference");
	put_page(pages[0]);

	/* A clean writable PTE: a shared page after a read fault. */
	n = umm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	*(volatile int *)umm_user_ptr(mm, n);
	ok(pte_write(pte_at(n)) && !pte_dirty(pte_at(n)), "clean writable PTE");
	is(get_user_pages_fast_only(n, 1, FOLL_WRITE, pages), 1,
	   "fast-only takes it for write");
	ok(!pte_dirty(pte_at(n)) && !PageDirty(pages[0]),
	   "without dirtying PTE or page: that is the caller's job");
	put_page(pages[0]);

	is(pin_user_pages_fast(a, 1, FOLL_WRITE, pages), 1, "pin");
	is(page_count(pages[0]), 1 + 1024, "a pin counts GUP_PIN_COUNTING_BIAS");
	unpin_user_page(pages[0]);
	is(page_count(pages[0]), 1, "unpin restores it");

	mmap_read_lock(mm);
	is(get_user_pages(a + 2 * PAGE_SIZE, 2, 0, pages), 2,
	   "get_user_pages faults two pages in for read");
	mmap_read_unlock(mm);
	is(page_to_pfn(pages[0]), umm_zero_pfn, "both the zero page");
	put_page(pages[0]);
	put_page(pages[1]);
	umm_munmap(mm, n, PAGE_SIZE);
}

static void test_pfnmap(void)
{
	const struct umm_phys_range *r;
	unsigned long dev = 0, pfn = 0;
	struct page *pages[1];
	long a;

	for (r = umm_phys_layout(); r->end; r++)
		if (r->kind == UMM_PFN_DEVICE)
			dev = r->start;
	ok(dev, "the lab has device pfns");
	a = umm_mmap_pfn(mm, 2 * PAGE_SIZE, dev, PROT_READ | PROT_WRITE);
	ok(a > 0, "a VM_PFNMAP mapping of them");
	*(volatile int *)umm_user_ptr(mm, a + PAGE_SIZE) = 0x1234;
	is(*(int *)umm_pfn_host(dev + 1), 0x1234,
	   "user stores reach the device memory");
	is(get_user_pages_fast(a, 1, 0, pages), -EFAULT,
	   "gup refuses VM_PFNMAP");
	mmap_read_lock(mm);
	is(follow_pfn(vma_lookup(mm, a), a + PAGE_SIZE, &pfn), 0, "follow_pfn");
	mmap_read_unlock(mm);
	is(pfn, dev + 1, "finds the pfn");
	umm_munmap(mm, a, 2 * PAGE_SIZE);
}

static bool stop;			/* atomic */
static long race_addr;

/* Remaps the range over and over while gup_fast walks it. */
static __umm_user_code void *unmapper(void *arg)
{
	int i;

	for (i = 0; i < 2000; i++) {
		long a = umm_mmap(mm, race_addr, 8 * PAGE_SIZE,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				  NULL, 0);
		int j;

		for (j = 0; j < 8; j++)
			((volatile int *)umm_user_ptr(mm, a))[j * 1024] = i;
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	return NULL;
}

static void test_fast_against_munmap(void)
{
	struct page *pages[8];
	unsigned long taken = 0, bad = 0;
	pthread_t t;
	int n, i;

	race_addr = umm_mmap(mm, 0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	pthread_create(&t, NULL, unmapper, NULL);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		n = get_user_pages_fast_only(race_addr, 8, 0, pages);
		for (i = 0; i < n; i++) {
			if (page_count(pages[i]) < 1 || PageBuddy(pages[i]))
				bad++;
			put_page(pages[i]);
		}
		taken += n;
	}
	pthread_join(t, NULL);
	ok(taken > 0, "gup_fast took pages while they were being unmapped");
	diag("%lu pages taken", taken);
	is(bad, 0, "never a freed page");
	umm_munmap(mm, race_addr, 8 * PAGE_SIZE);
}

/*
 * A pinned anonymous page stays the parent's across fork, writable: the
 * child gets a copy at once (Linux 5.9+, copy_present_page()), so the
 * device holding the pin keeps seeing what the parent writes.
 */
static void test_fork_pinned(unsigned long a)
{
	volatile int *p = umm_user_ptr(mm, a);
	struct mm_struct *child;
	struct page *pin[1];

	*p = 1;
	is(pin_user_pages_fast(a, 1, FOLL_WRITE | FOLL_LONGTERM, pin), 1,
	   "pin a written page");
	child = umm_fork(mm);
	ok(child, "fork");
	is(pte_pfn(pte_at(a)), page_to_pfn(pin[0]),
	   "the parent keeps the pinned page");
	ok(pte_write(pte_at(a)), "writable: no COW fault to come");
	*p = 2;
	is(*(volatile int *)umm_pfn_host(page_to_pfn(pin[0])), 2,
	   "the pin holder sees the parent's write");
	is(*(volatile int *)umm_user_ptr(child, a), 1,
	   "the child has its own copy");
	mmput(child);
	unpin_user_page(pin[0]);
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
	test_fast_and_slow(a);
	test_pfnmap();
	test_fast_against_munmap();
	test_fork_pinned(a + 8 * PAGE_SIZE);
	umm_munmap(mm, a, 16 * PAGE_SIZE);
	is(umm_nr_free_pages(), free_before, "every page came back");
	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
