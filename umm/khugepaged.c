// SPDX-License-Identifier: GPL-2.0
/*
 * umm: collapsing 512 small pages of a 2 MiB aligned range of private
 * anonymous memory into one THP, as mm/khugepaged.c does for
 * MADV_COLLAPSE and for khugepaged (collapse_huge_page()).
 *
 * Under mmap_lock held for write and one CLEAR over the 2 MiB (G rule
 * 16), the PTEs are cleared first, then checked: each maps nothing, the
 * zero page, or an anonymous page that nobody but its mappings
 * references (Linux's is_refcount_suitable(); a gup reference makes it
 * fail, as a pin does), and one at least is writable.  The contents are
 * then copied into a new THP, the small pages released, and the PTE table
 * replaced by a huge PMD.  If a check fails the PTEs are put back.
 * Swapped-out pages are read in first (__collapse_huge_page_swapin()).
 *
 * Simplified: the lab takes mmap_lock for write for the whole collapse
 * (Linux scans under the read lock); khugepaged is a call the test makes
 * (umm_khugepaged_scan()), not a thread, and applies no max_ptes_none,
 * max_ptes_swap or max_ptes_shared limits nor the young-page rule.
 */
#include <string.h>
#include <linux/cacheflush.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/phys.h>
#include <umm/rmap.h>
#include <umm/thp.h>
#include <umm/vma.h>

/* May [haddr, haddr + 2 MiB) of @vma become a THP (hugepage_vma_check())? */
static bool collapse_vma_ok(struct vm_area_struct *vma, unsigned long haddr)
{
	return umm_vma_thp_capable(vma) && vma->anon_vma &&
	       !(vma->vm_flags & VM_NOHUGEPAGE) &&
	       haddr >= vma->vm_start && haddr + PMD_SIZE <= vma->vm_end &&
	       !(((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff) &
		 (HPAGE_PMD_NR - 1));
}

/* Read in what the range holds in the store. */
static int collapse_swapin(struct vm_area_struct *vma, unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;
	int ret = 0;

	for (addr = haddr; !ret && addr < haddr + PMD_SIZE;
	     addr += PAGE_SIZE) {
		pte_t *ptep;
		bool swapped;

		spin_lock(&mm->page_table_lock);
		ptep = umm_pte_lookup(mm, addr);
		swapped = ptep && pte_swp(*ptep);
		spin_unlock(&mm->page_table_lock);
		if (swapped)
			ret = umm_handle_fault_locked(vma, addr, false);
	}
	return ret;
}

/*
 * Only its mappings reference the page (is_refcount_suitable(); the
 * lab's swap cache holds no reference).
 */
static bool refcount_suitable(struct page *page)
{
	struct page *head = compound_head(page);

	return !PageLocked(head) && page_count(head) == folio_mapcount(head);
}

/* Check one cleared entry: 0, or why the collapse must not go on. */
static int check_old(pte_t old, bool *writable)
{
	struct page *page;

	if (pte_none(old))
		return 0;
	if (!pte_present(old))
		return -EAGAIN;	/* swapped or migrated meanwhile */
	*writable |= pte_write(old);
	if (pte_special(old))
		return is_zero_pfn(pte_pfn(old)) ? 0 : -EINVAL;
	page = pfn_to_page(pte_pfn(old));
	if (!PageAnon(page))
		return -EINVAL;
	return refcount_suitable(page) ? 0 : -EAGAIN;
}

/*
 * Clear the 512 PTEs into @old and check them; on failure put them back.
 * The host mirror goes first: no user access can slip in after a check.
 */
static int isolate_ptes(struct mm_struct *mm, unsigned long haddr,
			pte_t *table, pte_t *old)
{
	bool writable = false;
	int i, ret = 0;

	for (i = 0; i < HPAGE_PMD_NR; i++)
		old[i].pte = xchg(&table[i].pte, 0);
	umm_mirror_unmap(mm, haddr, PMD_SIZE);
	for (i = 0; i < HPAGE_PMD_NR && !ret; i++)
		ret = check_old(old[i], &writable);
	if (!ret && !writable)
		ret = -EINVAL;		/* SCAN_PAGE_RO */
	for (i = 0; ret && i < HPAGE_PMD_NR; i++)
		if (!pte_none(old[i]))
			umm_set_pte(mm, haddr + i * PAGE_SIZE, &table[i],
				    old[i]);
	return ret;
}

/*
 * The new THP's contents, copied and cleared at each page's user address
 * as __collapse_huge_page_copy() does (so aliasing caches see the user's
 * lines); the small pages let go.
 */
static void copy_and_release(struct vm_area_struct *vma, unsigned long haddr,
			     struct page *new, const pte_t *old)
{
	unsigned long i, addr;

	for (i = 0; i < HPAGE_PMD_NR; i++) {
		struct page *page;

		addr = haddr + i * PAGE_SIZE;
		if (pte_none(old[i]) || pte_special(old[i])) {
			clear_user_highpage(new + i, addr);
			continue;
		}
		page = pfn_to_page(pte_pfn(old[i]));
		copy_user_highpage(new + i, page, addr, vma);
		if (pte_dirty(old[i]))
			set_page_dirty(page);
		umm_page_remove_rmap(page);
		put_page(page);
	}
}

/* Under the page-table lock: @old receives the PTEs while they are checked. */
static int collapse_locked(struct vm_area_struct *vma, unsigned long haddr,
			   pmd_t *pmdp, struct page *new, pte_t *old)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long prot = _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
	int ret = -EAGAIN;

	lockdep_assert_held(&mm->page_table_lock);
	/*
	 * Linux's collapse flushes nothing before clearing the PTEs and
	 * leaves aliasing to copy_user_highpage(): no VIVT architecture has
	 * THP.  The lab runs THP on every model, so on VIVT it flushes the
	 * user addresses first, as cachetlb.rst asks before PTEs change.
	 */
	if (umm_cache_geometry()->index == UMM_CACHE_VIVT)
		flush_cache_range(vma, haddr, haddr + PMD_SIZE);
	if (pmd_present(*pmdp) && !pmd_trans_huge(*pmdp))
		ret = isolate_ptes(mm, haddr, umm_table(pmd_val(*pmdp)), old);
	if (!ret) {
		copy_and_release(vma, haddr, new, old);
		umm_free_pte_table(mm, pmdp);
		umm_page_add_anon_rmap_pmd(new, vma, haddr);
		SetPageAnonExclusive(new);
		if (vma->vm_flags & VM_WRITE)
			prot |= _PAGE_RW;
		umm_set_pmd(mm, haddr, pmdp, pfn_pmd(page_to_pfn(new), prot));
	}
	return ret;
}

/* collapse_huge_page(): 0, or -EINVAL, -EAGAIN, -ENOMEM as MADV_COLLAPSE. */
static int collapse_huge_page(struct vm_area_struct *vma, unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_notifier_range range;
	struct page *new;
	pmd_t *pmdp, pmd;
	pte_t *old;
	int ret;

	mmap_assert_write_locked(mm);
	if (!collapse_vma_ok(vma, haddr))
		return -EINVAL;
	/* Reclaim and migration may change it: checked again locked. */
	pmdp = umm_pmd_lookup(mm, haddr);
	pmd.pmd = pmdp ? READ_ONCE(pmdp->pmd) : 0;
	if (pmd_none(pmd))
		return -EINVAL;	/* SCAN_PMD_NULL: nothing to collapse */
	if (pmd_trans_huge(pmd))
		return pmd_present(pmd) ? 0 : -EAGAIN;
	ret = collapse_swapin(vma, haddr);
	if (ret)
		return ret;
	old = kmalloc_array(HPAGE_PMD_NR, sizeof(*old), GFP_KERNEL);
	new = alloc_pages(GFP_TRANSHUGE | __GFP_NOWARN, HPAGE_PMD_ORDER);
	if (!new || !old) {
		kfree(old);
		if (new)
			put_page(new);
		return -ENOMEM;
	}
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, haddr,
				haddr + PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	spin_lock(&mm->page_table_lock);
	ret = collapse_locked(vma, haddr, pmdp, new, old);
	spin_unlock(&mm->page_table_lock);
	mmu_notifier_invalidate_range_end(&range);
	kfree(old);
	if (ret)
		put_page(new);
	return ret;
}

/**
 * umm_madvise_collapse - MADV_COLLAPSE of [@start, @end): a THP for each
 * 2 MiB aligned block inside it (madvise_collapse())
 * @mm: the address space
 * @start: page aligned
 * @end: page aligned
 *
 * Independent of VM_HUGEPAGE, as in Linux; VM_NOHUGEPAGE refuses.  A
 * block already mapped by a huge PMD counts as done.
 *
 * Context: process context; takes mmap_lock for write.  Returns 0 if
 * every block is a THP now, otherwise the last failure: -EINVAL (not
 * eligible), -EAGAIN (pages referenced elsewhere), -ENOMEM, or -ENOMEM
 * for a block not mapped at all, as madvise(2).
 */
int umm_madvise_collapse(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	unsigned long haddr;
	int ret = 0, err;

	mmap_write_lock(mm);
	for (haddr = ALIGN(start, PMD_SIZE); haddr + PMD_SIZE <= end;
	     haddr += PMD_SIZE) {
		struct vm_area_struct *vma = vma_lookup(mm, haddr);

		err = vma ? collapse_huge_page(vma, haddr) : -ENOMEM;
		if (err)
			ret = err;
	}
	mmap_write_unlock(mm);
	return ret;
}

/* A block khugepaged would look at: VM_HUGEPAGE, a PTE table, no PMD. */
static bool khugepaged_candidate(struct vm_area_struct *vma,
				 unsigned long haddr)
{
	pmd_t *pmdp, pmd;

	if (!umm_thp_vma_suitable(vma, haddr) || !vma->anon_vma)
		return false;
	pmdp = umm_pmd_lookup(vma->vm_mm, haddr);
	pmd.pmd = pmdp ? READ_ONCE(pmdp->pmd) : 0;
	return pmd_present(pmd) && !pmd_trans_huge(pmd);
}

/**
 * umm_khugepaged_scan - one pass of khugepaged over @mm, in the caller
 * @mm: the address space
 *
 * Collapses every 2 MiB block of a VM_HUGEPAGE VMA that is mapped by
 * small pages (khugepaged_scan_mm_slot() with transparent_hugepage=madvise).
 *
 * Context: process context; takes mmap_lock for write.  Returns the
 * number of THPs made.
 */
int umm_khugepaged_scan(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long haddr;
	int nr = 0;

	mmap_write_lock(mm);
	for_each_vma_in(mm, vma) {
		for (haddr = ALIGN(vma->vm_start, PMD_SIZE);
		     haddr + PMD_SIZE <= vma->vm_end; haddr += PMD_SIZE)
			if (khugepaged_candidate(vma, haddr) &&
			    !collapse_huge_page(vma, haddr))
				nr++;
	}
	mmap_write_unlock(mm);
	return nr;
}
