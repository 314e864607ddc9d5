// SPDX-License-Identifier: GPL-2.0
/*
 * Transparent huge pages: every 4 KiB page of a THP keeps its contents
 * through the fault, the split of its PMD, a partial munmap, fork and
 * COW, migration, reclaim and collapse; the map counts and references
 * are right at each step; a huge PMD is mirrored by one host mapping;
 * gup takes pages of a THP and a pin keeps it from moving; a user
 * thread writing a THP sees no stale or lost value while it is migrated,
 * reclaimed, collapsed and split under it; and every page comes back to
 * the allocator at the end.
 *
 * A model, want[], holds what each page of the region must read; each
 * page carries its value in its first and last word.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pgtable.h>
#include <umm/mm.h>
#include <umm/notifier_trace.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/swap.h>
#include <umm/thp.h>
#include "tap.h"

#define NR_THP		6
#define NPAGES		(NR_THP * HPAGE_PMD_NR)
#define UNMAPPED	(~0U)
#define LAST_WORD	(PAGE_SIZE / 4 - 1)

/* The THPs of the region and what each test does to it. */
enum { A, B, C, D, E, F };

static struct mm_struct *mm;
static unsigned long base;
static u32 want[NPAGES];

static unsigned long addr_of(int thp, int page)
{
	return base + ((unsigned long)thp * HPAGE_PMD_NR + page) * PAGE_SIZE;
}

static volatile u32 *uptr_mm(struct mm_struct *m, int thp, int page)
{
	return umm_user_ptr(m, addr_of(thp, page));
}

static void store(int thp, int page, u32 val)
{
	volatile u32 *p = uptr_mm(mm, thp, page);

	p[0] = val;
	p[LAST_WORD] = ~val;
	want[thp * HPAGE_PMD_NR + page] = val;
}

static u32 tag(int thp, int page, int gen)
{
	return (u32)(gen << 24 | thp << 16 | page << 4 | 1);
}

static void fill(int thp, int gen)
{
	int i;

	for (i = 0; i < HPAGE_PMD_NR; i++)
		store(thp, i, tag(thp, i, gen));
}

/* Does page @i of @m read as @val (0: a page of zeroes)? */
static bool page_reads(struct mm_struct *m, int thp, int i, u32 val)
{
	volatile u32 *p = uptr_mm(m, thp, i);

	return p[0] == val && p[LAST_WORD] == (val ? ~val : 0);
}

/* Every mapped page of THP @thp reads what the model says. */
static void verify(int thp, const char *what)
{
	int i, bad = -1;

	for (i = 0; i < HPAGE_PMD_NR && bad < 0; i++) {
		u32 w = want[thp * HPAGE_PMD_NR + i];

		if (w != UNMAPPED && !page_reads(mm, thp, i, w))
			bad = i;
	}
	if (!ok(bad < 0, what))
		diag("page %d of THP %d reads %#x, want %#x", bad, thp,
		     *uptr_mm(mm, thp, bad), want[thp * HPAGE_PMD_NR + bad]);
}

static pmd_t pmd_of(struct mm_struct *m, int thp)
{
	pmd_t *pmdp, v = { 0 };

	spin_lock(&m->page_table_lock);
	pmdp = umm_pmd_lookup(m, addr_of(thp, 0));
	if (pmdp)
		v = *pmdp;
	spin_unlock(&m->page_table_lock);
	return v;
}

static pte_t pte_of(int thp, int page)
{
	pte_t *ptep, v = { 0 };

	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr_of(thp, page));
	if (ptep)
		v = *ptep;
	spin_unlock(&mm->page_table_lock);
	return v;
}

static bool pmd_mapped(struct mm_struct *m, int thp)
{
	pmd_t pmd = pmd_of(m, thp);

	return pmd_present(pmd) && pmd_trans_huge(pmd);
}

/* The THP that THP slot @thp maps, by PMD or by PTEs, or NULL. */
static struct page *head_of(int thp, int page)
{
	struct page *p = umm_page_at(mm, addr_of(thp, page)), *head;

	if (!p)
		return NULL;
	head = compound_head(p);
	put_page(p);
	return PageTransHuge(head) ? head : NULL;
}

/* The host mapping that mirrors THP @thp is one mmap of 2 MiB. */
static bool mirror_is_one_mapping(int thp, unsigned long pfn)
{
	unsigned long host = (unsigned long)umm_user_ptr(mm, addr_of(thp, 0));
	unsigned long start, end, off;
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &off) != 3)
			continue;
		found = start <= host && host + PMD_SIZE <= end &&
			off + (host - start) == pfn << PAGE_SHIFT;
	}
	if (f)
		fclose(f);
	return found;
}

static void test_fault(void)
{
	unsigned long calls = umm_mirror_map_calls();
	struct page *head;

	store(A, 0, tag(A, 0, 0));
	is(umm_mirror_map_calls() - calls, 1, "a write fault: one host mmap");
	ok(pmd_mapped(mm, A), "a huge PMD maps the 2 MiB");
	fill(A, 0);
	is(umm_mirror_map_calls() - calls, 1,
	   "the other 511 pages are written without a fault");
	head = head_of(A, 7);
	ok(head && compound_order(head) == HPAGE_PMD_ORDER,
	   "an order-9 compound page");
	ok(head && pfn_to_page(pmd_pfn(pmd_of(mm, A))) == head,
	   "that the PMD maps");
	ok(head && mirror_is_one_mapping(A, page_to_pfn(head)),
	   "mirrored by one host mapping of its 2 MiB");
	ok(head && page_mapcount(head + 7) == 1 &&
	   folio_entire_mapcount(head) == 1 && !folio_nr_pte_mapped(head) &&
	   page_count(head) == 1, "one PMD mapping, one reference");
	diag("direct map: %s", umm_direct_map_backing());
	verify(A, "every page reads what was written");
	fill(C, 0);
	fill(D, 0);
	fill(E, 0);
}

static void test_zero_page(void)
{
	pmd_t pmd;

	(void)*uptr_mm(mm, B, 3);
	pmd = pmd_of(mm, B);
	ok(is_huge_zero_pmd(pmd) && !pmd_write(pmd) &&
	   is_huge_zero_page(pfn_to_page(pmd_pfn(pmd))),
	   "a read fault maps the huge zero page read-only");
	verify(B, "it reads zeroes");
	store(B, 3, 0xb3);
	ok(!pmd_trans_huge(pmd_of(mm, B)), "a write splits the PMD");
	ok(is_zero_pfn(pte_pfn(pte_of(B, 4))) && pte_special(pte_of(B, 4)),
	   "into PTEs of the small zero page");
	ok(!is_zero_pfn(pte_pfn(pte_of(B, 3))) && pte_write(pte_of(B, 3)),
	   "and copies the page written");
	verify(B, "the written page has its data, the others zeroes");
}

/* mprotect of part: the PMD splits, the compound page stays. */
static void test_split(void)
{
	struct page *head = head_of(A, 0);

	is(umm_mprotect(mm, addr_of(A, 4), 4 * PAGE_SIZE, PROT_READ), 0,
	   "mprotect part of a THP");
	ok(!pmd_trans_huge(pmd_of(mm, A)), "its PMD is split");
	ok(head_of(A, 5) == head && PageTransHuge(head),
	   "the THP is mapped by PTEs now");
	ok(folio_entire_mapcount(head) == 0 &&
	   folio_nr_pte_mapped(head) == HPAGE_PMD_NR &&
	   page_count(head) == HPAGE_PMD_NR && page_mapcount(head + 5) == 1,
	   "512 PTE mappings, 512 references");
	ok(!pte_write(pte_of(A, 5)) && pte_write(pte_of(A, 3)) &&
	   pte_dirty(pte_of(A, 3)), "PTEs keep the PMD's bits but the RO part");
	verify(A, "contents unchanged by the split");
	is(umm_mprotect(mm, addr_of(A, 4), 4 * PAGE_SIZE,
			PROT_READ | PROT_WRITE), 0, "back to read-write");
	store(A, 5, 0xa5);
	ok(pfn_to_page(pte_pfn(pte_of(A, 5))) == head + 5,
	   "a write reuses the page: the THP is ours alone");
}

static void test_partial_munmap(void)
{
	struct page *head = head_of(A, 0);
	int i;

	is(umm_munmap(mm, addr_of(A, 8), 8 * PAGE_SIZE), 0,
	   "munmap 8 pages of the THP");
	for (i = 8; i < 16; i++)
		want[A * HPAGE_PMD_NR + i] = UNMAPPED;
	ok(folio_nr_pte_mapped(head) == HPAGE_PMD_NR - 8 &&
	   page_count(head) == HPAGE_PMD_NR - 8,
	   "the rest stays mapped by PTEs, as in Linux");
	ok(!pte_present(pte_of(A, 9)), "the unmapped part is gone");
	verify(A, "the rest reads what was written");
}

static void test_fork(void)
{
	struct mm_struct *child = umm_fork(mm);
	struct page *head = head_of(C, 0);

	ok(pmd_mapped(child, C) && pmd_pfn(pmd_of(child, C)) ==
	   page_to_pfn(head), "fork: the child maps the same THP by a PMD");
	ok(!pmd_write(pmd_of(mm, C)) && !pmd_write(pmd_of(child, C)),
	   "write-protected in both");
	ok(folio_entire_mapcount(head) == 2 && page_count(head) == 2,
	   "two PMD mappings, two references");
	store(C, 1, 0xc1);
	ok(!pmd_trans_huge(pmd_of(mm, C)) &&
	   pfn_to_page(pte_pfn(pte_of(C, 1))) != head + 1,
	   "a parent write splits its PMD and copies the page");
	ok(page_reads(child, C, 1, tag(C, 1, 0)),
	   "the child keeps the old data");
	uptr_mm(child, C, 2)[0] = 0xcc2;
	ok(page_reads(mm, C, 2, tag(C, 2, 0)),
	   "a child write is not seen by the parent");
	mmput(child);
	store(C, 3, 0xc3);
	ok(pfn_to_page(pte_pfn(pte_of(C, 3))) != head + 3,
	   "a page shared at fork is copied even after the child exited");
	verify(C, "the parent's pages after fork and COW");
}

static void test_fork_exit_reuse(void)
{
	struct page *head = head_of(E, 0);

	mmput(umm_fork(mm));
	store(E, 4, 0xe4);
	ok(pmd_mapped(mm, E) && pmd_write(pmd_of(mm, E)) &&
	   head_of(E, 0) == head,
	   "the child gone, a write reuses the THP whole");
	verify(E, "its pages after fork");
}

static void test_migrate(void)
{
	struct page *head = head_of(D, 0);

	is(umm_migrate_addr(mm, addr_of(D, 7)), 0, "migrate a THP");
	ok(pmd_mapped(mm, D) && head_of(D, 0) && head_of(D, 0) != head,
	   "moved whole: a PMD maps a new THP");
	verify(D, "contents moved");
	head = head_of(C, 100);
	is(umm_migrate_addr(mm, addr_of(C, 100)), 0,
	   "migrate a THP mapped by PTEs");
	ok(head_of(C, 100) && head_of(C, 100) != head &&
	   head_of(C, 200) == head_of(C, 100), "all its PTEs map the new one");
	verify(C, "contents moved");
}

static void test_reclaim(void)
{
	unsigned long writes = umm_swap_writes(), free = umm_nr_free_pages();

	is(umm_reclaim_addr(mm, addr_of(D, 9)), 0, "reclaim a THP");
	ok(pte_swp(pte_of(D, 0)) && pte_swp(pte_of(D, 511)),
	   "its 512 pages are swap entries");
	is(umm_swap_writes() - writes, HPAGE_PMD_NR,
	   "all written to the store");
	is(umm_nr_free_pages() - free, HPAGE_PMD_NR, "and its 2 MiB freed");
	ok(page_reads(mm, D, 9, want[D * HPAGE_PMD_NR + 9]) &&
	   !head_of(D, 9), "a refault reads back a 4 KiB page");
	verify(D, "every page reads back");
}

/* D is swapped in 4 KiB pages, B is 511 zero pages and a copy. */
static void test_collapse(void)
{
	is(umm_madvise(mm, addr_of(D, 0), PMD_SIZE, MADV_COLLAPSE), 0,
	   "MADV_COLLAPSE of small pages");
	ok(pmd_mapped(mm, D) && pmd_write(pmd_of(mm, D)),
	   "a writable huge PMD maps them");
	verify(D, "with their contents");
	store(D, 10, 0xd10);
	verify(D, "and a write after it");
	is(umm_madvise(mm, addr_of(B, 0), PMD_SIZE, MADV_COLLAPSE), -EINVAL,
	   "no writable PTE (fork write-protected B's page): EINVAL");
	store(B, 3, 0xb33);
	is(umm_madvise(mm, addr_of(B, 0), PMD_SIZE, MADV_COLLAPSE), 0,
	   "written again: collapse zero pages and one written page");
	ok(pmd_mapped(mm, B), "a huge PMD maps them");
	verify(B, "zeroes and the written page");
	is(umm_madvise(mm, addr_of(A, 0), PMD_SIZE, MADV_COLLAPSE), -EINVAL,
	   "not a 2 MiB range of one VMA (partly unmapped): EINVAL");
	fill(F, 0);
	is(umm_madvise(mm, addr_of(F, 0), PMD_SIZE, MADV_COLLAPSE), 0,
	   "a THP already: nothing to do");
}

/* MADV_DONTNEED of one page: CLEAR[4,5) with the split nested inside. */
static void test_dontneed_one(void)
{
	struct umm_ntrace_rec recs[4];
	struct umm_ntrace t;
	unsigned int n;

	if (umm_ntrace_start(&t, mm, addr_of(E, 1), 510 * PAGE_SIZE, 16))
		BAIL_OUT("recorder");
	is(umm_madvise(mm, addr_of(E, 4), PAGE_SIZE, MADV_DONTNEED), 0,
	   "MADV_DONTNEED one page of a THP");
	n = umm_ntrace_copy(&t, recs, ARRAY_SIZE(recs));
	umm_ntrace_stop(&t);
	ok(n == 2 && recs[0].start == addr_of(E, 4) &&
	   recs[1].start == addr_of(E, 0) && recs[1].end == addr_of(F, 0),
	   "CLEAR over the page, then over the 2 MiB");
	ok(n == 2 && recs[0].cur_seq == recs[1].cur_seq,
	   "the split is nested: the same cur_seq");
	want[E * HPAGE_PMD_NR + 4] = 0;
	verify(E, "that page reads zeroes, the others their data");
}

static void test_gup(void)
{
	struct page *pages[2], *head = head_of(F, 0);

	umm_use_mm(mm);
	is(get_user_pages_fast_only(addr_of(F, 3), 2, FOLL_WRITE, pages), 2,
	   "gup_fast takes pages of a PMD-mapped THP");
	ok(pages[0] == head + 3 && pages[1] == head + 4 &&
	   page_count(head) == 3, "its pages, references on the head");
	put_page(pages[0]);
	put_page(pages[1]);
	is(pin_user_pages_fast(addr_of(F, 5), 1, FOLL_WRITE, pages), 1, "pin");
	is(umm_migrate_addr(mm, addr_of(F, 0)), -EBUSY,
	   "a pinned THP is not migrated");
	is(umm_reclaim_addr(mm, addr_of(F, 0)), -EBUSY, "nor reclaimed");
	ok(pmd_mapped(mm, F) && head_of(F, 0) == head, "it stays as it was");
	unpin_user_page(pages[0]);
	verify(F, "contents after gup");
	umm_unuse_mm(mm);
}

/* ---- a user thread writes a THP while the kernel moves it around ---- */

static bool stop;		/* atomic */
static unsigned long race_addr;

/* Each round writes every 8th page; each page must read the last round. */
static __umm_user_code void *user_thread(void *arg)
{
	u32 last[HPAGE_PMD_NR / 8] = { 0 }, *bad = arg, round;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(last); i++)
		last[i] = *(volatile u32 *)umm_user_ptr(mm, race_addr +
							i * 8 * PAGE_SIZE);
	for (round = 1; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); round++) {
		for (i = 0; i < ARRAY_SIZE(last); i++) {
			volatile u32 *p = umm_user_ptr(mm, race_addr +
						       i * 8 * PAGE_SIZE);

			if (*p != last[i])
				(*bad)++;
			*p = round;
			last[i] = round;
		}
	}
	return NULL;
}

static void test_race(void)
{
	u32 bad = 0;
	pthread_t t;
	int i, moved = 0, reclaimed = 0, collapsed = 0;

	race_addr = addr_of(F, 0);
	pthread_create(&t, NULL, user_thread, &bad);
	for (i = 0; i < 20; i++) {
		moved += !umm_migrate_addr(mm, race_addr + PAGE_SIZE);
		reclaimed += !umm_reclaim_addr(mm, race_addr + 2 * PAGE_SIZE);
		collapsed += !umm_madvise(mm, race_addr, PMD_SIZE,
					  MADV_COLLAPSE);
		umm_madvise(mm, race_addr + 17 * PAGE_SIZE, PAGE_SIZE,
			    MADV_DONTNEED);	/* a page nobody writes */
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	diag("migrated %d, reclaimed %d, collapsed %d times", moved,
	     reclaimed, collapsed);
	ok(moved && reclaimed && collapsed, "each ran under the writer");
	is(bad, 0, "the writer never read a stale or lost value");
}

int main(void)
{
	struct umm_config cfg = { .ram_mb = 128 };
	unsigned long free0;
	long a;

	if (umm_boot(&cfg))
		BAIL_OUT("umm_boot");
	if (!umm_huge_zero_page())
		BAIL_OUT("no huge zero page");
	free0 = umm_nr_free_pages();	/* the huge zero page stays */
	mm = umm_mm_create();
	a = umm_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (a < 0 || (a & ~PMD_MASK) ||
	    umm_madvise(mm, a, NPAGES * PAGE_SIZE, MADV_HUGEPAGE))
		BAIL_OUT("mapping the region");
	base = a;
	memset(want, 0, sizeof(want));

	test_fault();
	test_zero_page();
	test_split();
	test_partial_munmap();
	test_fork();
	test_fork_exit_reuse();
	test_migrate();
	test_reclaim();
	test_collapse();
	test_dontneed_one();
	test_gup();
	test_race();

	mmput(mm);
	rcu_barrier();
	is(umm_nr_free_pages(), free0, "every page freed at the end");
	return done_testing();
}
