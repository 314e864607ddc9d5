// SPDX-License-Identifier: GPL-2.0
/*
 * The user operations of umm/mremap.c, lazyfree.c, populate.c,
 * truncate.c and oom.c, for what they do to data and mappings (their
 * notifier callbacks are test_g_rows.c's): mremap keeps the data and
 * mirrors it at the new address only, and the reverse map still finds
 * moved pages; MADV_FREE discards clean pages and keeps redirtied ones;
 * populate and mlock fault in, and mlocked pages are not reclaimed; hole
 * punching and truncation zero what they remove; the OOM reaper calls
 * notifiers non-blockable (a sleeping notifier is reported), skips a VMA
 * whose notifier refuses, and spares shared memory.
 */
#include <string.h>
#include <linux/errno.h>
#include <linux/mmu_notifier.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/report.h>
#include <umm/swap.h>
#include "tap.h"

#define NPAGES		16
#define LEN		(NPAGES * PAGE_SIZE)

static struct mm_struct *mm;

static pte_t pte_at_mm(struct mm_struct *in, unsigned long addr)
{
	pte_t *ptep, v = { 0 };

	spin_lock(&in->page_table_lock);
	ptep = umm_pte_lookup(in, addr);
	if (ptep)
		v = *ptep;
	spin_unlock(&in->page_table_lock);
	return v;
}

static pte_t pte_at(unsigned long addr)
{
	return pte_at_mm(mm, addr);
}

static volatile u32 *uptr(unsigned long addr)
{
	return umm_user_ptr(mm, addr);
}

/* A kernel read through uaccess: -EFAULT where nothing may be mapped. */
static int kread(unsigned long addr, u32 *v)
{
	return __get_user(*v, (u32 __user *)addr);
}

static void fill(unsigned long a, unsigned long npages, u32 seed)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		uptr(a + i * PAGE_SIZE)[0] = seed + i;
		uptr(a + i * PAGE_SIZE)[PAGE_SIZE / 4 - 1] = ~(seed + i);
	}
}

static bool check(unsigned long a, unsigned long i, u32 seed)
{
	unsigned long p = a + i * PAGE_SIZE;

	return uptr(p)[0] == seed + i &&
	       uptr(p)[PAGE_SIZE / 4 - 1] == (u32)~(seed + i);
}

static long map_anon(unsigned long addr, unsigned long len)
{
	return umm_mmap(mm, addr, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED : 0),
			NULL, 0);
}

static long map_file(struct umm_file *file, unsigned long len)
{
	return umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, file,
			0);
}

/* ---- mremap ---- */

static void test_mremap_move_anon(void)
{
	unsigned long a = map_anon(0x40000000UL, LEN), b = 0x48000000UL;
	unsigned long i;
	bool same = true;
	u32 v;

	fill(a, NPAGES, 100);
	is(umm_reclaim_addr(mm, a + 2 * PAGE_SIZE), 0, "page 2 swapped out");
	umm_madvise(mm, a + 5 * PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED);
	is(umm_mremap(mm, a, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, b), b,
	   "mremap(MREMAP_FIXED) moves anonymous memory");
	ok(pte_swp(pte_at(b + 2 * PAGE_SIZE)), "the swap entry moved");
	for (i = 0; i < NPAGES; i++)
		if (i != 5 && !check(b, i, 100))
			same = false;
	ok(same, "every page reads the same at the new address");
	is(uptr(b + 5 * PAGE_SIZE)[0], 0, "the empty page is still empty");
	is(pte_val(pte_at(a)), 0, "nothing left at the old address");
	is(kread(a, &v), -EFAULT, "and no VMA: a user access faults");

	is(umm_migrate_addr(mm, b + 3 * PAGE_SIZE), 0,
	   "the reverse map finds a moved page: migration");
	ok(check(b, 3, 100), "migrated with its data");
	is(umm_reclaim_addr(mm, b + 4 * PAGE_SIZE), 0, "and reclaim");
	ok(pte_swp(pte_at(b + 4 * PAGE_SIZE)), "leaving a swap entry there");
	ok(check(b, 4, 100), "which reads back");
	umm_munmap(mm, b, LEN);
}

static void test_mremap_grow_shrink(void)
{
	unsigned long a = map_anon(0x50000000UL, 4 * PAGE_SIZE);
	unsigned long g = map_anon(0x50000000UL + 8 * PAGE_SIZE, PAGE_SIZE);
	long n;

	fill(a, 4, 200);
	is(umm_mremap(mm, a, 4 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0), a,
	   "mremap grows in place where the range above is free");
	ok(check(a, 3, 200), "the old pages stay");
	is(uptr(a + 6 * PAGE_SIZE)[0], 0, "the new part reads zero");
	uptr(a + 7 * PAGE_SIZE)[0] = 7;
	is(uptr(a + 7 * PAGE_SIZE)[0], 7, "and is writable");
	is(umm_mremap(mm, a, 8 * PAGE_SIZE, 12 * PAGE_SIZE, 0, 0), -ENOMEM,
	   "blocked without MREMAP_MAYMOVE: -ENOMEM");
	n = umm_mremap(mm, a, 8 * PAGE_SIZE, 12 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	ok(n > 0 && n != (long)a, "with MREMAP_MAYMOVE it moves");
	ok(check(n, 0, 200) && check(n, 3, 200) &&
	   uptr(n + 7 * PAGE_SIZE)[0] == 7, "keeping the data");
	is(umm_mremap(mm, n, 12 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), n,
	   "shrinks in place");
	ok(check(n, 1, 200), "the head stays");
	is(pte_val(pte_at(n + 3 * PAGE_SIZE)), 0, "the tail is unmapped");
	is(umm_mremap(mm, n, 4 * PAGE_SIZE, 8 * PAGE_SIZE, MREMAP_MAYMOVE, 0),
	   -EFAULT, "the old range must lie in one VMA");
	umm_munmap(mm, n, 2 * PAGE_SIZE);
	umm_munmap(mm, g, PAGE_SIZE);
}

/* The PTE at @addr maps the file's page @index. */
static bool maps_file_page(struct umm_file *f, unsigned long addr,
			   pgoff_t index)
{
	pte_t pte = pte_at(addr);

	return pte_present(pte) && f->pages[index] &&
	       pte_pfn(pte) == page_to_pfn(f->pages[index]);
}

static void test_mremap_shared(void)
{
	struct umm_file *f = umm_file_create(LEN, false);
	unsigned long a = map_file(f, LEN), b = 0x58000000UL;

	fill(a, NPAGES, 300);
	is(umm_mremap(mm, a + 4 * PAGE_SIZE, 8 * PAGE_SIZE, 8 * PAGE_SIZE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, b), b,
	   "mremap moves part of a shared mapping");
	ok(check(b, 0, 304) && check(b, 7, 304), "the file's data is there");
	ok(maps_file_page(f, b, 4), "mapping the file's own page");
	uptr(b)[1] = 0xfeed;
	is(uptr(a + 3 * PAGE_SIZE)[0], 303,
	   "the rest of the old mapping stays");
	ok(!pte_present(pte_at(a + 4 * PAGE_SIZE)), "the moved part is gone");
	umm_munmap(mm, a, LEN);
	a = map_file(f, LEN);
	is(uptr(a + 4 * PAGE_SIZE)[1], 0xfeed,
	   "a write at the new address reached the file");
	umm_munmap(mm, a, LEN);
	umm_munmap(mm, b, 8 * PAGE_SIZE);
	umm_file_put(f);
}

static void test_mremap_hugetlb(void)
{
	struct umm_file *f = umm_file_create(2 * PMD_SIZE, true);
	unsigned long a = map_file(f, 2 * PMD_SIZE), b = 0x60000000UL;

	uptr(a + PMD_SIZE)[0] = 0x4242;
	is(umm_mremap(mm, a, 2 * PMD_SIZE, 2 * PMD_SIZE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, b), b,
	   "mremap moves a hugetlb mapping");
	is(uptr(b + PMD_SIZE)[0], 0x4242, "with its huge page");
	is(umm_mremap(mm, b, 2 * PMD_SIZE, 4 * PMD_SIZE, MREMAP_MAYMOVE, 0),
	   -EINVAL, "but cannot grow it");
	is(umm_mremap(mm, b, PMD_SIZE, PMD_SIZE, MREMAP_MAYMOVE |
		      MREMAP_FIXED, b + 4 * PMD_SIZE + PAGE_SIZE), -EINVAL,
	   "nor move it to an unaligned address");
	umm_munmap(mm, b, 2 * PMD_SIZE);
	umm_file_put(f);
}

/* ---- MADV_FREE ---- */

static void test_madv_free(void)
{
	unsigned long a = map_anon(0x68000000UL, LEN), i;
	unsigned long writes, free_before;
	struct page *page;
	bool zero = true;

	fill(a, NPAGES, 400);
	writes = umm_swap_writes();
	is(umm_madvise(mm, a, LEN, MADV_FREE), 0, "MADV_FREE");
	ok(pte_present(pte_at(a)) && !pte_dirty(pte_at(a)),
	   "leaves the pages mapped, clean");
	ok(check(a, 0, 400), "and readable until reclaimed");
	uptr(a + 3 * PAGE_SIZE)[0] = 0x333;
	ok(pte_dirty(pte_at(a + 3 * PAGE_SIZE)), "a store redirties a page");
	page = umm_page_at(mm, a + 6 * PAGE_SIZE);
	*(volatile u32 *)umm_pfn_host(page_to_pfn(page)) = 0x666;
	set_page_dirty(page);
	put_page(page);

	free_before = umm_nr_free_pages();
	is(umm_madvise(mm, a, LEN, MADV_PAGEOUT), 0, "MADV_PAGEOUT");
	is(umm_swap_writes(), writes, "lazyfree pages are not written");
	is(umm_nr_free_pages(), free_before + NPAGES - 2,
	   "the clean ones are freed");
	for (i = 0; i < NPAGES; i++)
		if (i != 3 && i != 6 && uptr(a + i * PAGE_SIZE)[0])
			zero = false;
	ok(zero, "and read back as zeroes");
	is(uptr(a + 3 * PAGE_SIZE)[0], 0x333,
	   "the redirtied page kept its data");
	is(uptr(a + 6 * PAGE_SIZE)[0], 0x666,
	   "so did the page a kernel writer dirtied");
	is(umm_reclaim_addr(mm, a + 3 * PAGE_SIZE), 0,
	   "a redirtied page is swap-backed again");
	is(umm_swap_writes(), writes + 1, "and written when reclaimed");
	is(uptr(a + 3 * PAGE_SIZE)[0], 0x333, "reading back its data");

	uptr(a)[0] = 1;
	is(umm_reclaim_addr(mm, a), 0, "page 0 swapped out");
	is(umm_madvise(mm, a, PAGE_SIZE, MADV_FREE), 0, "MADV_FREE of it");
	is(pte_val(pte_at(a)), 0, "drops the swap entry");
	is(uptr(a)[0], 0, "it reads zero");

	uptr(a + 2 * PAGE_SIZE)[0] = 2;
	umm_reclaim_addr(mm, a + 2 * PAGE_SIZE);
	is(uptr(a + 2 * PAGE_SIZE)[0], 2, "a page swapped in, in the swap cache");
	writes = umm_swap_writes();
	is(umm_madvise(mm, a + 2 * PAGE_SIZE, PAGE_SIZE, MADV_FREE), 0,
	   "MADV_FREE of it gives up its slot");
	is(umm_reclaim_addr(mm, a + 2 * PAGE_SIZE), 0, "reclaim discards it");
	is(umm_swap_writes(), writes, "unwritten");
	is(uptr(a + 2 * PAGE_SIZE)[0], 0, "and it reads zero");

	uptr(a + PAGE_SIZE)[0] = 5;
	umm_madvise(mm, a + PAGE_SIZE, PAGE_SIZE, MADV_FREE);
	is(umm_reclaim_addr(mm, a + PAGE_SIZE), 0,
	   "umm_reclaim_page() discards a lazyfree page too");
	is(uptr(a + PAGE_SIZE)[0], 0, "it reads zero");
	umm_munmap(mm, a, LEN);
}

static void test_madv_free_einval(void)
{
	struct umm_file *f = umm_file_create(LEN, false);
	unsigned long s = map_file(f, LEN), a = map_anon(0, LEN);

	is(umm_madvise(mm, s, LEN, MADV_FREE), -EINVAL,
	   "MADV_FREE of shared memory: -EINVAL");
	umm_mlock(mm, a, LEN);
	is(umm_madvise(mm, a, LEN, MADV_FREE), -EINVAL,
	   "MADV_FREE of locked memory: -EINVAL");
	umm_munmap(mm, a, LEN);
	umm_munmap(mm, s, LEN);
	umm_file_put(f);
}

/* ---- populate, mlock ---- */

static bool all_populated(unsigned long a, unsigned long npages, bool write)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		pte_t pte = pte_at(a + i * PAGE_SIZE);

		if (!pte_present(pte) ||
		    (write && (!pte_write(pte) || !pte_dirty(pte) ||
			       pte_pfn(pte) == umm_zero_pfn)))
			return false;
	}
	return true;
}

static void test_populate(void)
{
	unsigned long a = map_anon(0x70000000UL, LEN);
	unsigned long r = umm_mmap(mm, 0, LEN, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);

	(void)uptr(a + 2 * PAGE_SIZE)[0];
	is(umm_madvise(mm, a, LEN, MADV_POPULATE_WRITE), 0,
	   "MADV_POPULATE_WRITE");
	ok(all_populated(a, NPAGES, true),
	   "every page present, writable, dirty, none the zero page");
	is(umm_madvise(mm, r, LEN, MADV_POPULATE_READ), 0,
	   "MADV_POPULATE_READ of a read-only mapping");
	ok(all_populated(r, NPAGES, false), "populates it");
	is(umm_madvise(mm, r, LEN, MADV_POPULATE_WRITE), -EINVAL,
	   "MADV_POPULATE_WRITE of it: -EINVAL");
	is(umm_madvise(mm, a + LEN, LEN, MADV_POPULATE_WRITE), -ENOMEM,
	   "of a hole: -ENOMEM");
	umm_munmap(mm, a, LEN);
	umm_munmap(mm, r, LEN);
}

static void test_mlock(void)
{
	unsigned long a = map_anon(0x78000000UL, LEN);

	fill(a, 4, 500);
	is(umm_mlock(mm, a, LEN), 0, "mlock");
	ok(all_populated(a, NPAGES, true), "populates for write");
	is(umm_madvise(mm, a, LEN, MADV_PAGEOUT), -EINVAL,
	   "MADV_PAGEOUT of locked memory: -EINVAL, as in Linux");
	is(umm_reclaim_addr(mm, a), -EBUSY, "reclaim leaves a locked page");
	ok(check(a, 0, 500), "mapped, with its data");
	is(umm_munlock(mm, a + 2 * PAGE_SIZE, PAGE_SIZE), 0, "munlock a part");
	is(umm_reclaim_addr(mm, a + 2 * PAGE_SIZE), 0, "now reclaimable");
	is(umm_reclaim_addr(mm, a + PAGE_SIZE), -EBUSY, "its neighbour not");
	ok(check(a, 2, 500), "reading back");
	is(umm_mlock(mm, a, 2 * LEN), -ENOMEM, "mlock over a hole: -ENOMEM");
	umm_munmap(mm, a, LEN);
}

/* How many VMAs [@a, @a + @len) spans: mmap_lock taken for the walk. */
static unsigned int vmas_over(unsigned long a, unsigned long len)
{
	struct vm_area_struct *vma;
	unsigned int n = 0;

	mmap_read_lock(mm);
	for (vma = find_vma(mm, a); vma && vma->vm_start < a + len;
	     vma = find_vma(mm, vma->vm_end))
		n++;
	mmap_read_unlock(mm);
	return n;
}

/* mprotect and mlock split VMAs; undoing them merges them (vma_merge). */
static void test_vma_merge(void)
{
	unsigned long a = map_anon(0x7c000000UL, LEN);

	fill(a, 4, 600);
	is(umm_mprotect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0,
	   "mprotect one page read-only");
	is(vmas_over(a, LEN), 3, "three VMAs");
	is(umm_mprotect(mm, a + PAGE_SIZE, PAGE_SIZE,
			PROT_READ | PROT_WRITE), 0, "and back");
	is(vmas_over(a, LEN), 1, "one VMA again, as Linux merges it");
	is(umm_mlock(mm, a, 2 * PAGE_SIZE), 0, "mlock the first two pages");
	is(umm_munlock(mm, a, 2 * PAGE_SIZE), 0, "munlock them");
	is(vmas_over(a, LEN), 1, "one VMA");
	ok(check(a, 0, 600), "the data stayed where it was");
	is(umm_reclaim_addr(mm, a + 3 * PAGE_SIZE), 0,
	   "a page of the merged part reclaims (its rmap finds it)");
	ok(check(a, 3, 600), "and reads back");
	umm_munmap(mm, a, LEN);
}

/* ---- punch hole, MADV_REMOVE, truncate ---- */

static void test_punch_hole(void)
{
	struct umm_file *f = umm_file_create(LEN, false);
	unsigned long a = map_file(f, LEN), free_before, i;
	bool zero = true;

	fill(a, NPAGES, 600);
	free_before = umm_nr_free_pages();
	is(umm_file_punch_hole(f, 4 * PAGE_SIZE, 4 * PAGE_SIZE), 0,
	   "punch a hole of four pages");
	is(umm_nr_free_pages(), free_before + 4, "their pages are freed");
	ok(!pte_present(pte_at(a + 4 * PAGE_SIZE)), "and unmapped");
	for (i = 4; i < 8; i++)
		if (uptr(a + i * PAGE_SIZE)[0] ||
		    uptr(a + i * PAGE_SIZE)[PAGE_SIZE / 4 - 1])
			zero = false;
	ok(zero, "they read back as zeroes");
	ok(check(a, 3, 600) && check(a, 8, 600), "their neighbours are intact");

	is(umm_file_punch_hole(f, 9 * PAGE_SIZE + 8, 8), 0,
	   "punch inside a page");
	ok(uptr(a + 9 * PAGE_SIZE)[0] == 609 && !uptr(a + 9 * PAGE_SIZE)[2] &&
	   !uptr(a + 9 * PAGE_SIZE)[3], "zeroes only that part");
	ok(maps_file_page(f, a + 9 * PAGE_SIZE, 9), "the page stays mapped");

	is(umm_reclaim_addr(mm, a + 10 * PAGE_SIZE), 0, "page 10 swapped out");
	umm_file_punch_hole(f, 10 * PAGE_SIZE, PAGE_SIZE);
	is(uptr(a + 10 * PAGE_SIZE)[0], 0,
	   "a punched swapped-out page is zero");

	is(umm_madvise(mm, a + 12 * PAGE_SIZE, PAGE_SIZE, MADV_REMOVE), 0,
	   "MADV_REMOVE");
	is(uptr(a + 12 * PAGE_SIZE)[0], 0, "the page reads zero");
	ok(check(a, 13, 600), "the next one is intact");

	is(umm_file_punch_hole(f, 13 * PAGE_SIZE + 8, 2 * PAGE_SIZE), 0,
	   "punch from inside a page to inside another");
	ok(uptr(a + 13 * PAGE_SIZE)[0] == 613 && !uptr(a + 13 * PAGE_SIZE)[2],
	   "the head page keeps its start");
	ok(!pte_present(pte_at(a + 14 * PAGE_SIZE)) &&
	   !uptr(a + 14 * PAGE_SIZE)[0], "the whole page between goes");
	ok(!uptr(a + 15 * PAGE_SIZE)[0] && !uptr(a + 15 * PAGE_SIZE)[1] &&
	   uptr(a + 15 * PAGE_SIZE)[2] == 0 &&
	   uptr(a + 15 * PAGE_SIZE)[PAGE_SIZE / 4 - 1] == (u32)~615,
	   "the tail page keeps its end");
	umm_munmap(mm, a, LEN);
	umm_file_put(f);
}

static void test_truncate(void)
{
	struct umm_file *f = umm_file_create(LEN, false);
	unsigned long a = map_file(f, LEN);
	u32 v;

	fill(a, NPAGES, 700);
	is(umm_file_truncate(f, 8 * PAGE_SIZE + 8), 0, "truncate mid-page");
	ok(check(a, 7, 700), "the kept pages are intact");
	ok(uptr(a + 8 * PAGE_SIZE)[0] == 708 && !uptr(a + 8 * PAGE_SIZE)[2] &&
	   !uptr(a + 8 * PAGE_SIZE)[PAGE_SIZE / 4 - 1],
	   "the last page's tail is zeroed");
	ok(!pte_present(pte_at(a + 9 * PAGE_SIZE)), "the cut pages unmapped");
	is(kread(a + 9 * PAGE_SIZE, &v), -EFAULT, "past the end: a fault");
	is(umm_file_truncate(f, LEN), 0, "grow it back");
	is(uptr(a + 12 * PAGE_SIZE)[0], 0, "the new pages read zero");
	umm_munmap(mm, a, LEN);
	umm_file_put(f);

	f = umm_file_create(2 * PMD_SIZE, true);
	a = map_file(f, 2 * PMD_SIZE);
	uptr(a)[0] = 1;
	uptr(a + PMD_SIZE)[0] = 2;
	is(umm_file_truncate(f, PMD_SIZE + PAGE_SIZE), -EINVAL,
	   "hugetlbfs: only to a huge page boundary");
	is(umm_file_truncate(f, PMD_SIZE), 0, "hugetlbfs: cut a huge page");
	is(kread(a + PMD_SIZE, &v), -EFAULT, "past the end: a fault");
	is(uptr(a)[0], 1, "the first huge page is intact");
	umm_munmap(mm, a, 2 * PMD_SIZE);
	umm_file_put(f);
}

/* ---- the OOM reaper ---- */

struct reap_sub {
	struct mmu_interval_notifier sub;
	spinlock_t lock;
	bool refuse;		/* return false when not blockable */
	bool sleep;		/* might_sleep(): what a mutex_lock does */
	int calls, nonblock;	/* lock */
};

static bool reap_invalidate(struct mmu_interval_notifier *sub,
			    const struct mmu_notifier_range *range,
			    unsigned long cur_seq)
{
	struct reap_sub *r = container_of(sub, struct reap_sub, sub);
	bool blockable = mmu_notifier_range_blockable(range);

	if (!blockable && r->refuse)
		return false;
	if (r->sleep)
		might_sleep();
	spin_lock(&r->lock);
	mmu_interval_set_seq(sub, cur_seq);
	r->calls++;
	r->nonblock += !blockable;
	spin_unlock(&r->lock);
	return true;
}

static const struct mmu_interval_notifier_ops reap_ops = {
	.invalidate = reap_invalidate,
};

static void reap_sub_insert(struct reap_sub *r, struct mm_struct *victim,
			    unsigned long a, bool refuse, bool sleep)
{
	memset(r, 0, sizeof(*r));
	spin_lock_init(&r->lock);
	r->refuse = refuse;
	r->sleep = sleep;
	if (mmu_interval_notifier_insert(&r->sub, victim, a, LEN, &reap_ops))
		BAIL_OUT("inserting the notifier");
}

static void test_oom_reap(void)
{
	struct mm_struct *victim = umm_mm_create();
	struct umm_file *f = umm_file_create(LEN, false);
	unsigned long a, s, sleeps;
	struct reap_sub r;
	u32 v = 0;
	int ret;

	a = umm_mmap(victim, 0, LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	s = umm_mmap(victim, 0, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	*(volatile u32 *)umm_user_ptr(victim, a) = 11;
	*(volatile u32 *)umm_user_ptr(victim, s) = 22;

	reap_sub_insert(&r, victim, a, true, false);
	is(umm_oom_reap(victim), -EAGAIN,
	   "a notifier that refuses: the reaper returns -EAGAIN");
	is(*(volatile u32 *)umm_user_ptr(victim, a), 11,
	   "and leaves that VMA alone");
	mmu_interval_notifier_remove(&r.sub);

	reap_sub_insert(&r, victim, a, false, true);
	umm_reports_expect(true);
	sleeps = umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC);
	ret = umm_oom_reap(victim);
	is(umm_report_count(UMM_REPORT_SLEEP_IN_ATOMIC), sleeps + 1,
	   "a notifier that sleeps in the reaper's callback is reported");
	umm_reports_expect(false);
	is(ret, 0, "the reaper reaps");
	is(r.calls, 1, "one callback for the private VMA");
	is(r.nonblock, 1, "non-blockable");
	mmu_interval_notifier_remove(&r.sub);

	ok(!pte_present(pte_at_mm(victim, a)), "the private page is unmapped");
	umm_unuse_mm(mm);
	umm_use_mm(victim);
	is(copy_from_user(&v, (const void __user *)a, sizeof(v)), sizeof(v),
	   "a kthread's copy_from_user() of it fails (MMF_UNSTABLE)");
	umm_unuse_mm(victim);
	umm_use_mm(mm);
	is(*(volatile u32 *)umm_user_ptr(victim, s), 22,
	   "shared memory is left to exit");
	mmput(victim);
	umm_file_put(f);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	mm = umm_mm_create();
	umm_use_mm(mm);

	test_mremap_move_anon();
	test_mremap_grow_shrink();
	test_mremap_shared();
	test_mremap_hugetlb();
	test_madv_free();
	test_madv_free_einval();
	test_populate();
	test_mlock();
	test_vma_merge();
	test_punch_hole();
	test_truncate();
	test_oom_reap();

	umm_unuse_mm(mm);
	mmput(mm);
	return done_testing();
}
