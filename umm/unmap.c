// SPDX-License-Identifier: GPL-2.0
/*
 * umm: taking a page out of every page table that maps it, and putting
 * it back: the common half of reclaim and migration.
 */
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/rmap.h>
#include <umm/swap.h>
#include <umm/unmap.h>

/*
 * A lazyfree (MADV_FREE) page whose PTE was just cleared may be dropped
 * if it is clean and only the reclaimer's reference and the mappings
 * hold it (try_to_unmap_one()).
 */
static bool lazyfree_discardable(struct page *page)
{
	return page_count(page) == 1 + page_mapcount(page) &&
	       !PageDirty(page);
}

/*
 * One mapping: announce CLEAR over the page, as try_to_unmap_one() and
 * try_to_migrate_one() do for every VMA the rmap visits, then replace a
 * PTE that maps the page by the entry the caller asked for.
 */
static bool unmap_one(struct page *page, struct vm_area_struct *vma,
		      unsigned long addr, void *arg)
{
	struct umm_unmap *u = arg;
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_notifier_range range;
	bool more = true;
	pte_t *ptep, old;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, addr,
				addr + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr);
	if (ptep && pte_present(*ptep) && pte_pfn(*ptep) == page_to_pfn(page)) {
		flush_cache_page(vma, addr, page_to_pfn(page));
		old = umm_clear_pte(mm, addr, ptep);
		/* The PTE's dirty bit moves to the page before it is gone. */
		if (pte_dirty(old))
			set_page_dirty(page);
		if (u->lazyfree && !lazyfree_discardable(page)) {
			/* Redirtied or referenced: it stays, swap-backed. */
			umm_set_pte(mm, addr, ptep, old);
			SetPageSwapBacked(page);
			more = false;
		} else if (u->migrate) {
			WRITE_ONCE(ptep->pte, (page_to_pfn(page) << PAGE_SHIFT) |
				   _PAGE_SWP | _PAGE_MIGR |
				   (pte_val(old) & (_PAGE_RW | _PAGE_DIRTY)));
		} else if (u->slot) {
			umm_swap_dup(u->slot);
			WRITE_ONCE(ptep->pte, pte_val(umm_swp_pte(u->slot)));
		}
		if (more) {
			umm_page_remove_rmap(page);
			put_page(page);
		}
	}
	spin_unlock(&mm->page_table_lock);
	mmu_notifier_invalidate_range_end(&range);
	return more;
}

/**
 * umm_try_to_unmap - unmap @page from every page table
 * Context: page locked, a reference held, mmap_lock not needed.
 */
void umm_try_to_unmap(struct page *page, struct umm_unmap *u)
{
	umm_rmap_walk(page, unmap_one, u);
}

struct remap {
	struct page *old, *new;
};

/* Replace migration entries for @old by present PTEs of @new. */
static bool remap_one(struct page *page, struct vm_area_struct *vma,
		      unsigned long addr, void *arg)
{
	struct remap *r = arg;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long want = page_to_pfn(r->old) << PAGE_SHIFT;
	pte_t *ptep;

	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr);
	if (ptep && pte_migration(*ptep) &&
	    (pte_val(*ptep) & PTE_PFN_MASK) == want) {
		unsigned long keep = pte_val(*ptep) & (_PAGE_RW | _PAGE_DIRTY);

		get_page(r->new);
		if (PageAnon(r->new))
			umm_page_add_anon_rmap(r->new, vma, addr);
		else
			umm_page_add_file_rmap(r->new);
		umm_set_pte(mm, addr, ptep, pfn_pte(page_to_pfn(r->new),
				_PAGE_USER | _PAGE_ACCESSED | keep));
	}
	spin_unlock(&mm->page_table_lock);
	return true;
}

/**
 * umm_remove_migration_ptes - map @new wherever @old was being migrated
 * Context: both pages locked; @new has @old's mapping and index.
 */
void umm_remove_migration_ptes(struct page *old, struct page *new)
{
	struct remap r = { .old = old, .new = new };

	umm_rmap_walk(new, remap_one, &r);
}
