// SPDX-License-Identifier: GPL-2.0
/*
 * umm: MADV_FREE, lazily freed anonymous memory.
 *
 * MADV_FREE announces CLEAR over the range clipped to each VMA (G rule
 * 11, madvise_free_single_vma()), then walks its PTEs: a swap entry is
 * dropped (the page would read back as zero anyway); a present page of
 * its own gives up its swap slot, loses its dirty bits (PTE and page)
 * and becomes lazyfree: PageSwapBacked cleared (mark_page_lazyfree()).
 * The PTE stays, clean, so that the next user store faults and sets
 * its dirty bit again (the mirror of a clean PTE is read-only).
 *
 * Reclaim of a lazyfree page (umm/reclaim.c, umm/unmap.c) discards it if
 * neither its PTEs nor the page were dirtied since and nobody else holds
 * a reference: its PTEs become empty and a later access reads zeroes.
 * Otherwise the page is swap-backed again and stays (try_to_unmap_one()).
 *
 * EINVAL, as in Linux, for anything but private anonymous memory, and for
 * VM_LOCKED, VM_PFNMAP and hugetlb VMAs.  A PMD-mapped THP is left alone
 * (Linux splits it first).
 */
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/ops.h>
#include <umm/swap.h>
#include <umm/vma.h>

/* folio_free_swap(): drop the page's slot if no swap entry uses it. */
static bool page_free_swap(struct page *page)
{
	if (umm_swap_count(page->private) != 1)
		return false;
	return umm_swap_cache_try_remove(page, page_count(page));
}

/* The page may lose its dirty state: this process alone maps it. */
static bool page_forget_dirty(struct page *page)
{
	bool ok;

	if (!PageSwapCache(page) && !PageDirty(page))
		return true;
	if (!trylock_page(page))
		return false;
	ok = page_mapcount(page) == 1 &&
	     (!PageSwapCache(page) || page_free_swap(page));
	if (ok)
		ClearPageDirty(page);
	unlock_page(page);
	return ok;
}

static void free_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t pte = *ptep;
	struct page *page;

	if (pte_swp(pte)) {
		umm_swap_free(umm_pte_slot(pte));
		WRITE_ONCE(ptep->pte, 0);
		return;
	}
	if (!pte_present(pte) || pte_special(pte))
		return;		/* migration entry, zero page */
	page = pfn_to_page(pte_pfn(pte));
	if (!PageAnon(page) || PageCompound(page) || !page_forget_dirty(page))
		return;
	if (pte_dirty(pte) || pte_young(pte))
		umm_set_pte(mm, addr, ptep, __pte(pte_val(pte) &
				~(_PAGE_DIRTY | _PAGE_ACCESSED)));
	if (!PageSwapCache(page))
		ClearPageSwapBacked(page);
}

static void free_entries(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	unsigned long addr;

	spin_lock(&mm->page_table_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pmd_t *pmdp = umm_pmd_lookup(mm, addr);
		pte_t *ptep;

		if (!pmdp || pmd_none(*pmdp) || pmd_trans_huge(*pmdp)) {
			addr = (addr & PMD_MASK) + PMD_SIZE - PAGE_SIZE;
			continue;
		}
		ptep = umm_pte_lookup(mm, addr);
		if (!pte_none(*ptep))
			free_pte(mm, addr, ptep);
	}
	spin_unlock(&mm->page_table_lock);
}

static int free_vma(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	struct mmu_notifier_range range;

	if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -EINVAL;
	if (vma->vm_file)
		return -EINVAL;	/* only anonymous private memory */
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start, end);
	mmu_notifier_invalidate_range_start(&range);
	free_entries(vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

/**
 * umm_madvise_free - MADV_FREE of [@start, @end)
 * Context: process context, takes mmap_lock for read.  Returns 0,
 * -EINVAL (a VMA that is not private anonymous memory, or is locked) or
 * -ENOMEM (part of the range is not mapped; the rest is done).
 */
int umm_madvise_free(struct mm_struct *mm, unsigned long start,
		     unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0, hole = 0;

	mmap_read_lock(mm);
	while (!ret && addr < end && (vma = find_vma(mm, addr)) &&
	       vma->vm_start < end) {
		if (vma->vm_start > addr)
			hole = -ENOMEM;
		addr = max(addr, vma->vm_start);
		ret = free_vma(vma, addr, min(end, vma->vm_end));
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	if (!ret && addr < end)
		hole = -ENOMEM;
	return ret ? ret : hole;
}
