// SPDX-License-Identifier: GPL-2.0
/*
 * umm: installing and tearing down user mappings.  Each change of a PTE
 * or PMD updates the host mirror (umm/mirror.c) under the same
 * page_table_lock, so the lab's tables and the translations that threads
 * really use never disagree once the lock is dropped.
 */
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/pgtable.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/rmap.h>
#include <umm/swap.h>
#include <umm/thp.h>

static bool mirror_writable(unsigned long val)
{
	return (val & (_PAGE_RW | _PAGE_DIRTY)) == (_PAGE_RW | _PAGE_DIRTY);
}

/**
 * umm_set_pte - install @pte at @ptep, for user address @addr
 * Context: mm->page_table_lock held.
 */
void umm_set_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		 pte_t pte)
{
	lockdep_assert_held(&mm->page_table_lock);
	/*
	 * Release: whatever was written to the page (a migration or COW
	 * copy) is visible before the PTE that maps it.  Pairs with the
	 * acquire loads of gup_fast_one(), which walks without the lock.
	 */
	smp_store_release(&ptep->pte, pte_val(pte));
	if (pte_present(pte))
		umm_mirror_map(mm, addr, pte_pfn(pte), 1,
			       mirror_writable(pte_val(pte)));
	else
		umm_mirror_unmap(mm, addr, PAGE_SIZE);
}

/**
 * umm_clear_pte - clear the PTE at @ptep and return what it held
 * Context: mm->page_table_lock held.  On return no thread can still
 * access the page through this translation.
 */
pte_t umm_clear_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t old;

	lockdep_assert_held(&mm->page_table_lock);
	old.pte = xchg(&ptep->pte, 0);
	if (pte_present(old))
		umm_mirror_unmap(mm, addr, PAGE_SIZE);
	return old;
}

/**
 * umm_set_pmd - install a huge @pmd mapping 2 MiB at @addr
 * Context: mm->page_table_lock held.
 */
void umm_set_pmd(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp,
		 pmd_t pmd)
{
	lockdep_assert_held(&mm->page_table_lock);
	smp_store_release(&pmdp->pmd, pmd_val(pmd));	/* as umm_set_pte() */
	if (pmd_present(pmd))
		umm_mirror_map(mm, addr & PMD_MASK, pmd_pfn(pmd), HPAGE_PMD_NR,
			       mirror_writable(pmd_val(pmd)));
	else
		umm_mirror_unmap(mm, addr & PMD_MASK, PMD_SIZE);
}

/*
 * What a cleared present entry leaves to do: dirty, unmap, release.  A
 * PMD maps a whole compound page.
 */
static void release_mapped(unsigned long val, unsigned long pfn, bool pmd)
{
	struct page *page;

	if (val & _PAGE_SPECIAL)
		return;
	page = pfn_to_page(pfn);
	/* The PTE's dirty bit moves to the page before the PTE is gone. */
	if (val & _PAGE_DIRTY)
		set_page_dirty(page);
	if (pmd)
		umm_page_remove_rmap_pmd(page);
	else
		umm_page_remove_rmap(page);
	put_page(page);
}

static void zap_pmd(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp)
{
	unsigned long val = xchg(&pmdp->pmd, 0);

	umm_mirror_unmap(mm, addr & PMD_MASK, PMD_SIZE);
	/* A PMD migration entry holds nothing: the migration owns the THP. */
	if (val & _PAGE_PRESENT)
		release_mapped(val, (val & PTE_PFN_MASK) >> PAGE_SHIFT, true);
}

static void zap_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t old = umm_clear_pte(mm, addr, ptep);

	if (pte_present(old))
		release_mapped(pte_val(old), pte_pfn(old), false);
	else if (pte_swp(old))
		umm_swap_free(umm_pte_slot(old));
	/* A migration entry holds nothing: the migration owns the page. */
}

static void zap_tables(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	unsigned long addr = start;

	spin_lock(&mm->page_table_lock);
	while (addr < end) {
		pmd_t *pmdp = umm_pmd_lookup(mm, addr);
		unsigned long next = min((addr & PMD_MASK) + PMD_SIZE, end);

		if (pmdp && pmd_trans_huge(*pmdp)) {
			zap_pmd(mm, addr, pmdp);
		} else if (pmdp && !pmd_none(*pmdp)) {
			for (; addr < next; addr += PAGE_SIZE) {
				pte_t *ptep = umm_pte_lookup(mm, addr);

				if (!pte_none(*ptep))
					zap_pte(mm, addr, ptep);
			}
		}
		addr = next;
	}
	spin_unlock(&mm->page_table_lock);
}

/**
 * umm_zap_range - unmap [@start, @end) of @vma, releasing its pages
 * @vma: the VMA; @start and @end lie inside it
 *
 * The caller announces the range to MMU notifiers around this call.
 * A huge PMD is removed whole; a THP's PMD that the range covers only in
 * part is split first, announcing CLEAR over its 2 MiB nested inside the
 * caller's range (zap_pmd_range(); G rule 9).  Hugetlb VMAs only accept
 * 2 MiB-aligned ranges.
 *
 * 6.1 announces a nested UNMAP over the part of a hugetlb VMA it zaps
 * (__unmap_hugepage_range(); G difference 3); 6.12 does not.
 *
 * Context: mmap_lock held; takes mm->page_table_lock.
 */
void umm_zap_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_notifier_range range;
	bool nested = is_vm_hugetlb_page(vma) &&
		      umm_config()->kernel == UMM_KERNEL_6_1;

	mmap_assert_locked(mm);
	flush_cache_range(vma, start, end);	/* tlb_start_vma() */
	if (nested) {
		mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm,
					start, end);
		mmu_notifier_invalidate_range_start(&range);
	}
	umm_split_huge_pmd_edges(vma, start, end);
	zap_tables(mm, start, end);
	if (nested)
		mmu_notifier_invalidate_range_end(&range);
}

/**
 * umm_zap_mapping_range - umm_zap_range() for unmap_mapping_range()
 * @vma: a VMA of the file; @start and @end lie inside it
 *
 * Truncation and hole punching reach the VMAs through the file, holding
 * its i_mmap_rwsem, which keeps each VMA (and so its page tables) alive
 * in place of mmap_lock, as in Linux.  The caller announces the range,
 * and 6.1's hugetlb event is the caller's too.
 *
 * Context: @vma->vm_file->i_mmap_rwsem held; takes mm->page_table_lock.
 */
void umm_zap_mapping_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	lockdep_assert_held(&vma->vm_file->i_mmap_rwsem);
	zap_tables(vma->vm_mm, start, end);
}
