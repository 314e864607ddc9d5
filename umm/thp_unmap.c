// SPDX-License-Identifier: GPL-2.0
/*
 * umm: reclaim and migration of a whole THP, the compound-page half of
 * umm/reclaim.c and umm/migrate.c.
 *
 * Both first replace every entry that maps the THP by migration entries,
 * walking the rmap with one CLEAR per mapping over the THP's extent in
 * that VMA (try_to_unmap_one() and try_to_migrate_one() widen their
 * range to the folio: G rules 11 and 12):
 *
 *  - migration keeps a huge PMD as a PMD migration entry, then maps the
 *    new THP the way the old one was mapped (migrated whole: rule 12);
 *  - reclaim splits a huge PMD into PTEs first: inside its range on 6.12
 *    (split_huge_pmd_locked()), with its own CLEAR before it on 6.1
 *    (split_huge_pmd_address()), hence one or two CLEAR[0,512)
 *    (difference 2).  It writes each 4 KiB page to its own new slot of
 *    the store and replaces the migration entries by swap entries; a
 *    refault reads 4 KiB pages back, as Linux 6.1 and 6.12 swap in.
 *
 * The migration entries are the lab's way to keep faults waiting while
 * the THP is written out (the lab has no swap cache for compound pages);
 * no notifier sees them.  A THP that someone else still references after
 * the unmap (gup) is mapped again and not reclaimed or moved.
 */
#include <string.h>
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/rmap.h>
#include <umm/swap.h>
#include <umm/thp.h>

int umm_page_unmovable(struct page *page);

#define KEEP_BITS	(_PAGE_RW | _PAGE_DIRTY)

/* The end of @head's pages in @vma, whose first one is at @start. */
static unsigned long folio_end(const struct page *head,
			       const struct vm_area_struct *vma)
{
	/* Wraps when the THP begins below the VMA; the sum does not. */
	unsigned long first = vma->vm_start +
			      ((head->index - vma->vm_pgoff) << PAGE_SHIFT);

	return min(first + (compound_nr(head) << PAGE_SHIFT), vma->vm_end);
}

static bool pfn_in(unsigned long pfn, const struct page *head)
{
	return pfn - page_to_pfn(head) < compound_nr(head);
}

static unsigned long migration_val(unsigned long pfn, unsigned long val)
{
	return (pfn << PAGE_SHIFT) | _PAGE_SWP | _PAGE_MIGR |
	       (val & KEEP_BITS);
}

/*
 * A huge PMD of @head becomes a PMD migration entry; the user's lines are
 * flushed first (set_pmd_migration_entry()).
 */
static void pmd_to_migration(struct vm_area_struct *vma, unsigned long haddr,
			     pmd_t *pmdp, struct page *head)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t old = *pmdp;

	flush_cache_range(vma, haddr, haddr + PMD_SIZE);

	umm_set_pmd(mm, haddr, pmdp, __pmd(_PAGE_PSE |
		    migration_val(pmd_pfn(old), pmd_val(old))));
	if (pmd_dirty(old))
		set_page_dirty(head);
	umm_page_remove_rmap_pmd(head);
	put_page(head);
}

/* A PTE of a page of @head becomes a migration entry; mirror: caller. */
static void pte_to_migration(pte_t *ptep, struct page *head)
{
	pte_t old = *ptep;
	struct page *page = pfn_to_page(pte_pfn(old));

	WRITE_ONCE(ptep->pte, migration_val(pte_pfn(old), pte_val(old)));
	if (pte_dirty(old))
		set_page_dirty(head);
	umm_page_remove_rmap(page);
	put_page(head);
}

/*
 * Every PTE of [start, end) that maps a page of @head, each flushed from
 * the cache before it goes (try_to_migrate_one(), try_to_unmap_one()).
 */
static void ptes_to_migration(struct vm_area_struct *vma, struct page *head,
			      unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr, run = 0;
	pte_t *ptep;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		ptep = umm_pte_lookup(mm, addr);
		if (ptep && pte_present(*ptep) &&
		    pfn_in(pte_pfn(*ptep), head)) {
			flush_cache_page(vma, addr, pte_pfn(*ptep));
			pte_to_migration(ptep, head);
			run = run ? run : addr;
			continue;
		}
		/* One host munmap per run of pages taken away. */
		if (run)
			umm_mirror_unmap(mm, run, addr - run);
		run = 0;
	}
	if (run)
		umm_mirror_unmap(mm, run, end - run);
}

/* One VMA: CLEAR over @head's extent, then migration entries. */
static bool unmap_one(struct page *head, struct vm_area_struct *vma,
		      unsigned long start, void *arg)
{
	bool reclaim = *(bool *)arg;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = folio_end(head, vma);
	struct mmu_notifier_range range;
	pmd_t *pmdp;

	if (reclaim && umm_config()->kernel == UMM_KERNEL_6_1)
		umm_split_huge_pmd(vma, start, head);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, start);
	if (pmdp && pmd_present(*pmdp) && pmd_trans_huge(*pmdp) &&
	    pmd_pfn(*pmdp) == page_to_pfn(head)) {
		if (reclaim)
			umm_split_huge_pmd_locked(vma, start, pmdp);
		else
			pmd_to_migration(vma, start, pmdp, head);
	}
	ptes_to_migration(vma, head, start, end);
	spin_unlock(&mm->page_table_lock);
	mmu_notifier_invalidate_range_end(&range);
	return true;
}

struct remap {
	struct page *old;	/* whose migration entries are replaced */
	struct page *new;	/* by mappings of this THP (maybe @old) */
	unsigned long *slots;	/* or by swap entries of these slots */
};

static void remap_pmd(struct vm_area_struct *vma, unsigned long haddr,
		      pmd_t *pmdp, struct page *new)
{
	unsigned long keep = pmd_val(*pmdp) & KEEP_BITS;

	get_page(new);
	umm_page_add_anon_rmap_pmd(new, vma, haddr);
	umm_set_pmd(vma->vm_mm, haddr, pmdp, pfn_pmd(page_to_pfn(new),
		    _PAGE_USER | _PAGE_ACCESSED | keep));
}

static void remap_pte(struct vm_area_struct *vma, unsigned long addr,
		      pte_t *ptep, const struct remap *r)
{
	unsigned long i = pte_pfn(*ptep) - page_to_pfn(r->old);
	unsigned long keep = pte_val(*ptep) & KEEP_BITS;

	if (r->slots) {
		umm_swap_dup(r->slots[i]);
		WRITE_ONCE(ptep->pte, pte_val(umm_swp_pte(r->slots[i])));
		return;
	}
	get_page(r->new);
	umm_page_add_anon_rmap(r->new + i, vma, addr);
	umm_set_pte(vma->vm_mm, addr, ptep, pfn_pte(page_to_pfn(r->new) + i,
		    _PAGE_USER | _PAGE_ACCESSED | keep));
}

/* One VMA: replace the migration entries for r->old. */
static bool remap_one(struct page *walked, struct vm_area_struct *vma,
		      unsigned long start, void *arg)
{
	struct remap *r = arg;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr, end = folio_end(walked, vma);
	pmd_t *pmdp;
	pte_t *ptep;

	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, start);
	if (pmdp && pmd_migration(*pmdp) && pmd_pfn(*pmdp) ==
	    page_to_pfn(r->old)) {
		/* Reclaim splits PMDs first: it has no PMD migration entry. */
		if (!WARN_ON(r->slots))
			remap_pmd(vma, start, pmdp, r->new);
	}
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		ptep = umm_pte_lookup(mm, addr);
		if (ptep && pte_migration(*ptep) &&
		    pfn_in(pte_pfn(*ptep), r->old))
			remap_pte(vma, addr, ptep, r);
	}
	spin_unlock(&mm->page_table_lock);
	return true;
}

/* Unmap @head everywhere; false (mapped back) if someone else holds it. */
static bool unmap_thp(struct page *head, bool reclaim)
{
	struct remap r = { .old = head, .new = head };

	umm_rmap_walk(head, unmap_one, &reclaim);
	if (!page_mapped(head) && page_count(head) == 1)
		return true;
	umm_rmap_walk(head, remap_one, &r);
	return false;
}

static void free_slots(unsigned long *slots)
{
	unsigned long i;

	for (i = 0; i < HPAGE_PMD_NR && slots[i]; i++)
		umm_swap_free(slots[i]);
	kfree(slots);
}

/* A new slot of the store for each page; NULL when it is full. */
static unsigned long *alloc_slots(void)
{
	unsigned long *slots = kcalloc(HPAGE_PMD_NR, sizeof(*slots),
				       GFP_KERNEL);
	unsigned long i;

	for (i = 0; slots && i < HPAGE_PMD_NR; i++) {
		slots[i] = umm_swap_alloc();
		if (!slots[i]) {
			free_slots(slots);
			return NULL;
		}
	}
	return slots;
}

/**
 * umm_reclaim_thp - reclaim the anonymous THP @head whole
 * @head: the head page; the caller holds one reference
 *
 * Every page is written to a new slot of the store (a new slot holds
 * nothing yet, so the THP counts as dirty: add_to_swap() marks it so),
 * and every mapping becomes swap entries, one per 4 KiB page.
 *
 * Context: process context, may sleep; takes the page lock.  Returns 0,
 * -EBUSY if pinned, -ENOMEM if the store is full, -EAGAIN if someone
 * else still holds a reference after the unmap.
 */
int umm_reclaim_thp(struct page *head)
{
	struct remap r = { .old = head };
	unsigned long i;
	int ret;

	lock_page(head);
	ret = umm_page_unmovable(head);
	if (ret)
		goto out;
	ret = -ENOMEM;
	r.slots = alloc_slots();
	if (!r.slots)
		goto out;
	ret = -EAGAIN;
	if (unmap_thp(head, true)) {
		for (i = 0; i < HPAGE_PMD_NR; i++)
			umm_swap_write(r.slots[i], head + i);
		ClearPageDirty(head);
		umm_rmap_walk(head, remap_one, &r);
		ret = 0;
	}
	free_slots(r.slots);	/* the swap entries hold their own counts */
out:
	unlock_page(head);
	return ret;
}

static void move_thp_state(struct page *new, struct page *old)
{
	unsigned long i;

	for (i = 0; i < HPAGE_PMD_NR; i++)	/* folio_copy() */
		umm_migrate_copy(new + i, old + i);
	for (i = 0; i < HPAGE_PMD_NR; i++)
		if (PageAnonExclusive(old + i))
			SetPageAnonExclusive(new + i);
	new->mapping = old->mapping;
	new->index = old->index;
	SetPageAnon(new);
	if (TestClearPageDirty(old))
		SetPageDirty(new);
}

/**
 * umm_migrate_thp - move the anonymous THP @head to a new THP, whole
 * @head: the head page; the caller holds one reference
 *
 * Context: process context, may sleep; takes the page locks.  Returns 0,
 * -EBUSY if pinned or referenced by someone else, -ENOMEM.
 */
int umm_migrate_thp(struct page *head)
{
	struct remap r = { .old = head };
	struct page *new;
	int ret;

	new = alloc_pages(GFP_TRANSHUGE | __GFP_NOWARN, HPAGE_PMD_ORDER);
	if (!new)
		return -ENOMEM;
	lock_page(head);
	ret = umm_page_unmovable(head);
	if (ret)
		goto out;
	ret = -EBUSY;
	if (!unmap_thp(head, false))
		goto out;
	lock_page(new);
	move_thp_state(new, head);
	r.new = new;
	umm_rmap_walk(new, remap_one, &r);
	unlock_page(new);
	head->mapping = NULL;
	ClearPageAnon(head);
	ret = 0;
out:
	unlock_page(head);
	put_page(new);	/* its mappings hold their own references */
	return ret;
}
