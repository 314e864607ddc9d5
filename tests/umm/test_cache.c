// SPDX-License-Identifier: GPL-2.0
/*
 * The cache models: the scenarios of the seed threads (000, 002, 003),
 * each run on every architecture, the right code and the wrong code
 * side by side; the model must flag exactly the wrong one where the
 * architecture makes it wrong (Documentation/cache-models.md).
 *
 * This file is compiled in the checking flavour whatever the build: its
 * own READ_ONCE/WRITE_ONCE/memcpy go through the model.
 */
#ifndef UMM_CACHE_CHECK
#define UMM_CACHE_CHECK 1
#endif

#include <linux/cacheflush.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <umm/cache.h>
#include <umm/file.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include "tap.h"

#define NR_PAGES	16

static enum umm_cache_arch arch;
static const char *aname;

static bool is_x86(void)
{
	return arch == UMM_ARCH_X86;
}

static unsigned long stale(void)
{
	return umm_report_count(UMM_REPORT_CACHE_STALE) +
	       umm_report_count(UMM_REPORT_CACHE_DIRTY_ALIAS);
}

static char name[160];

#define NAME(fmt, ...)	(snprintf(name, sizeof(name), "%s: " fmt, aname, \
				  ##__VA_ARGS__), name)

/* A private anonymous region, every page written once by the user. */
static long user_region(struct mm_struct *mm)
{
	long a = umm_mmap(mm, 0, NR_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	u32 v = 1;
	int i;

	if (a < 0)
		BAIL_OUT("mmap");
	/* Out of order, so that pfn and user colours do not go in step. */
	for (i = 0; i < NR_PAGES; i++)
		umm_user_write(umm_user_ptr(mm, a + (i * 3 % NR_PAGES) *
					    PAGE_SIZE), &v, sizeof(v));
	return a;
}

/* gup of the page at @addr: flushes the user alias, as Linux's does. */
static struct page *gup(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;

	mmap_read_lock(mm);
	if (get_user_pages(addr, 1, FOLL_WRITE, &page) != 1)
		BAIL_OUT("gup");
	mmap_read_unlock(mm);
	return page;
}

/* The first page of the region whose kernel colour is not the user's. */
static unsigned long incongruent(struct mm_struct *mm, long a, int from)
{
	int i;

	for (i = from; i < NR_PAGES; i++) {
		unsigned long addr = a + i * PAGE_SIZE;
		struct page *page = umm_page_at(mm, addr);
		bool differ = umm_cache_colour(page_address(page)) !=
			      umm_cache_user_colour(addr);

		put_page(page);
		if (differ || is_x86() ||
		    umm_cache_geometry()->index == UMM_CACHE_VIVT)
			return addr;
	}
	BAIL_OUT("no page with an incongruent kernel colour");
}

static u32 user_read(struct mm_struct *mm, unsigned long addr)
{
	u32 v;

	umm_user_read(&v, umm_user_ptr(mm, addr), sizeof(v));
	return v;
}

/*
 * 1: the kernel writes through kmap; the user reads.  Without a flush:
 * stale on every virtually indexed cache.  flush_dcache_page(): right
 * everywhere.  kunmap_local() alone: right on parisc (it flushes), stale
 * on the others.
 */
static void test_kmap_write(struct mm_struct *mm)
{
	long a = user_region(mm);
	unsigned long addr[3], before;
	struct page *page;
	u32 *k;
	int i;

	for (i = 0; i < 3; i++)
		addr[i] = incongruent(mm, a, i ? (addr[i - 1] - a) / PAGE_SIZE + 1
					       : 0);

	page = gup(mm, addr[0]);
	before = stale();
	k = kmap_local_page(page);
	WRITE_ONCE(*k, 0x1234);
	is(user_read(mm, addr[0]), 0x1234, NAME("1a the data is there"));
	is(stale() - before, is_x86() ? 0 : 1,
	   NAME("1a kmap write, no flush, user read before kunmap: stale unless PIPT"));
	kunmap_local(k);
	put_page(page);

	page = gup(mm, addr[1]);
	before = stale();
	k = kmap_local_page(page);
	WRITE_ONCE(*k, 0x5678);
	flush_dcache_page(page);
	kunmap_local(k);
	is(user_read(mm, addr[1]), 0x5678, NAME("1b the data is there"));
	is(stale() - before, 0, NAME("1b with flush_dcache_page: coherent"));
	put_page(page);

	page = gup(mm, addr[2]);
	before = stale();
	k = kmap_local_page(page);
	WRITE_ONCE(*k, 0x9abc);
	kunmap_local(k);
	is(user_read(mm, addr[2]), 0x9abc, NAME("1c the data is there"));
	is(stale() - before,
	   is_x86() || umm_cache_geometry()->flush_on_kunmap ? 0 : 1,
	   NAME("1c kunmap_local alone: coherent on x86 and parisc only"));
	put_page(page);
	umm_munmap(mm, a, NR_PAGES * PAGE_SIZE);
}

/*
 * 2, seed 000: flush_dcache_page() then the flush on kunmap.  The first
 * writes the dirty lines back; the second finds nothing to write, yet on
 * parisc it issues a page of line flushes and takes the global lock.
 */
static void test_double_flush(struct mm_struct *mm)
{
	struct umm_cache_stats s0, s1, s2;
	long a = user_region(mm);
	unsigned long addr = incongruent(mm, a, 0);
	struct page *page = gup(mm, addr);
	char *k;

	k = kmap_local_page(page);
	memset(k, 0x5a, 256);			/* four lines */
	umm_cache_get_stats(&s0);
	flush_dcache_page(page);
	umm_cache_get_stats(&s1);
	kunmap_local(k);
	umm_cache_get_stats(&s2);
	diag("%s: flush_dcache_page: %lu lines issued, %lu written back, %lu locks; "
	     "kunmap: %lu issued, %lu written back, %lu locks", aname,
	     s1.lines_flushed - s0.lines_flushed,
	     s1.lines_written_back - s0.lines_written_back,
	     s1.lock_acquisitions - s0.lock_acquisitions,
	     s2.lines_flushed - s1.lines_flushed,
	     s2.lines_written_back - s1.lines_written_back,
	     s2.lock_acquisitions - s1.lock_acquisitions);
	is(s1.lines_written_back - s0.lines_written_back, is_x86() ? 0 : 4,
	   NAME("2 the first flush writes the 4 dirty lines back"));
	is(s2.lines_written_back - s1.lines_written_back, 0,
	   NAME("2 the second finds nothing to write"));
	if (arch == UMM_ARCH_PARISC) {
		is(s2.lines_flushed - s1.lines_flushed, PAGE_SIZE / 64,
		   NAME("2 yet it issues a flush of every line of the page"));
		is(s2.lock_acquisitions - s1.lock_acquisitions, 1,
		   NAME("2 and takes the global pa_tlb_lock again"));
		ok(s1.lock_acquisitions > s0.lock_acquisitions,
		   NAME("2 as the first did"));
	} else {
		is(s2.flush_calls - s1.flush_calls, 0,
		   NAME("2 kunmap_local of a lowmem page flushes nothing here"));
	}
	put_page(page);
	umm_munmap(mm, a, NR_PAGES * PAGE_SIZE);
}

struct race {
	unsigned long addr;
	u32 val;
};

/* A thread of the parent stores between flush_cache_dup_mm and wrprotect. */
static void racing_store(struct mm_struct *mm, void *arg)
{
	struct race *r = arg;

	umm_user_write(umm_user_ptr(mm, r->addr), &r->val, sizeof(r->val));
}

/*
 * 3, seed 003 (commit 77fff4ae): COW after fork where a thread wrote
 * between flush_cache_mm and write-protection.  copy_highpage() reads the
 * source through the kernel alias and copies stale data;
 * copy_user_highpage() at the user colour does not.
 */
static void cow_case(struct mm_struct *mm, enum umm_cow_copy how, int from,
		     unsigned long *flagged, u32 *got)
{
	long a = user_region(mm);
	struct race r = { .addr = incongruent(mm, a, from), .val = 0xc0ffee };
	struct mm_struct *child;
	unsigned long before;
	u32 one = 1;

	umm_cache_set_flush_mm_hook(racing_store, &r);
	child = umm_fork(mm);
	umm_cache_set_flush_mm_hook(NULL, NULL);
	if (!child)
		BAIL_OUT("fork");
	umm_cache_set_cow_copy(how);
	before = stale();
	/* A store to another line of the page: the COW fault copies it. */
	umm_user_write(umm_user_ptr(mm, r.addr + 2048), &one, sizeof(one));
	*flagged = stale() - before;
	umm_cache_set_cow_copy(UMM_COW_COPY_USER_HIGHPAGE);
	*got = user_read(mm, r.addr);
	mmput(child);
	umm_munmap(mm, a, NR_PAGES * PAGE_SIZE);
}

static void test_cow_fork(struct mm_struct *mm)
{
	unsigned long flagged;
	u32 got;

	/*
	 * The source read is stale; where kunmap does not flush (all but
	 * parisc), the destination's kernel lines are then also newer than
	 * what the user sees: more reports follow.
	 */
	cow_case(mm, UMM_COW_COPY_HIGHPAGE, 0, &flagged, &got);
	diag("%s: copy_highpage COW: %lu reports", aname, flagged);
	is(flagged > 0, !is_x86(),
	   NAME("3a COW through copy_highpage after the racing store: stale unless PIPT"));
	cow_case(mm, UMM_COW_COPY_USER_HIGHPAGE, 0, &flagged, &got);
	is(flagged, 0, NAME("3b copy_user_highpage: coherent"));
	is(got, 0xc0ffee, NAME("3b the racing store is in the parent's copy"));
}

/*
 * 4: an O_DIRECT-like read: gup, the kernel fills the page through a
 * kmap, put, the user reads.  Without flush_dcache_page: stale on armv6,
 * mips and armv5 (parisc's kunmap flushes, x86 needs nothing).
 */
static void test_odirect(struct mm_struct *mm)
{
	static char disk[PAGE_SIZE];
	long a = user_region(mm);
	unsigned long addr[2], before;
	struct page *page;
	int variant;
	char *k;

	memset(disk, 0x3c, sizeof(disk));
	addr[0] = incongruent(mm, a, 0);
	addr[1] = incongruent(mm, a, (addr[0] - a) / PAGE_SIZE + 1);
	for (variant = 0; variant < 2; variant++) {
		page = gup(mm, addr[variant]);
		before = stale();
		k = kmap_local_page(page);
		memcpy(k, disk, PAGE_SIZE);
		if (variant)
			flush_dcache_page(page);
		kunmap_local(k);
		set_page_dirty_lock(page);
		put_page(page);
		is(user_read(mm, addr[variant]), 0x3c3c3c3c,
		   NAME("4%c the data is there", 'a' + variant));
		if (variant)
			is(stale() - before, 0,
			   NAME("4b with flush_dcache_page: coherent"));
		else
			is(stale() - before,
			   is_x86() || umm_cache_geometry()->flush_on_kunmap ?
			   0 : 1,
			   NAME("4a without: stale but on x86 and parisc"));
	}
	umm_munmap(mm, a, NR_PAGES * PAGE_SIZE);
}

/*
 * 5: kmap_coherent: the kernel reads what the user wrote, and writes
 * what the user reads, with no flush at all.  Through the direct map
 * instead, the same code is stale.  On VIVT there is no such mapping.
 * A page with a deferred flush pending is refused.
 */
static void test_kmap_coherent(struct mm_struct *mm)
{
	long a = user_region(mm);
	unsigned long addr = incongruent(mm, a, 0), before;
	struct page *page = umm_page_at(mm, addr);
	u32 v = 7, *k, got;

	umm_user_write(umm_user_ptr(mm, addr), &v, sizeof(v));
	before = stale();
	k = kmap_coherent(page, addr);
	if (umm_cache_geometry()->index == UMM_CACHE_VIVT) {
		ok(!k, NAME("5 no kernel address shares a VIVT user line"));
	} else {
		got = READ_ONCE(*k);
		WRITE_ONCE(k[1], 8);
		kunmap_coherent();
		is(got, 7, NAME("5a the kernel reads the user's store"));
		is(user_read(mm, addr + 4), 8, NAME("5a the user reads the kernel's"));
		is(stale() - before, 0, NAME("5a through kmap_coherent: no flush needed"));
	}
	v = 9;
	umm_user_write(umm_user_ptr(mm, addr), &v, sizeof(v));
	before = stale();
	k = page_address(page);
	got = READ_ONCE(*k);
	is(stale() - before, is_x86() ? 0 : 1,
	   NAME("5b the same read through the direct map: stale unless PIPT"));
	put_page(page);
	umm_munmap(mm, a, NR_PAGES * PAGE_SIZE);
}

static void test_kmap_coherent_refuses(void)
{
	struct umm_file *f = umm_file_create(PAGE_SIZE, false);
	struct page *page = umm_file_get_page(f, 0);
	unsigned long before = umm_report_count(UMM_REPORT_CACHE_MISUSE);
	void *k;

	if (IS_ERR_OR_NULL(page))
		BAIL_OUT("file page");
	flush_dcache_page(page);	/* not user-mapped: deferred */
	ok(test_bit(PG_arch_1, &page->flags) == !is_x86(),
	   NAME("flush_dcache_page of an unmapped file page is deferred"));
	k = kmap_coherent(page, 0x10000000);
	if (is_x86() || umm_cache_geometry()->index == UMM_CACHE_VIVT) {
		ok(is_x86() ? !!k : !k,
		   NAME("kmap_coherent: the direct map on x86, none on VIVT"));
		if (k)
			kunmap_coherent();
	} else {
		ok(!k && umm_report_count(UMM_REPORT_CACHE_MISUSE) == before + 1,
		   NAME("kmap_coherent refuses a page with a deferred flush"));
	}
	put_page(page);
	umm_file_put(f);
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 64 };
	struct mm_struct *mm;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	umm_reports_expect(true);
	mm = umm_mm_create();
	umm_use_mm(mm);
	for (arch = 0; arch < UMM_ARCH_NR; arch++) {
		umm_cache_set_arch(arch);
		aname = umm_cache_arch_name(arch);
		test_kmap_write(mm);
		test_double_flush(mm);
		test_cow_fork(mm);
		test_odirect(mm);
		test_kmap_coherent(mm);
		test_kmap_coherent_refuses();
		is(umm_report_count(UMM_REPORT_CACHE_DISCARD) +
		   umm_report_count(UMM_REPORT_CACHE_MISUSE),
		   arch == UMM_ARCH_X86 ||
		   umm_cache_geometry()->index == UMM_CACHE_VIVT ? 0 : 1,
		   NAME("no other report than the refusal"));
		umm_reports_reset();
	}
	umm_cache_set_arch(UMM_ARCH_X86);
	return done_testing();
}
