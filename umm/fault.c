// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the page-fault handler.  Called from the SIGSEGV handler when a
 * lab user thread or a kernel user access touches a user address whose
 * mirror is missing or read-only, and from get_user_pages().
 *
 * What it announces to MMU notifiers follows G (shared/research/
 * G_notifier_events.md): nothing for a fault on an empty PTE (rule 4),
 * nothing for setting the dirty bit of a writable PTE, and CLEAR over one
 * page when a present PTE of a private mapping is replaced by a copy
 * (rule 5).  A write to an exclusively owned anonymous page reuses it.
 * Swap-in announces nothing either (rule 4).
 */
#include <sched.h>
#include <string.h>
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/pgtable.h>
#include <umm/cache.h>
#include <umm/file.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/rmap.h>
#include <umm/swap.h>
#include <umm/thp.h>

#define USER_PTE	(_PAGE_USER | _PAGE_ACCESSED)

static unsigned long vma_prot(const struct vm_area_struct *vma, bool dirty)
{
	unsigned long prot = USER_PTE;

	if (vma->vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (dirty)
		prot |= _PAGE_DIRTY;
	return prot;
}

static struct page *alloc_user_page(void)
{
	return alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
}

/* A new private page at an empty PTE: the zero page for a read. */
static int fault_anon_none(struct vm_area_struct *vma, unsigned long addr,
			   pte_t *ptep, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;

	if (!write) {
		umm_set_pte(mm, addr, ptep, __pte(pfn_pte(umm_zero_pfn,
				USER_PTE | _PAGE_SPECIAL).pte));
		return 0;
	}
	/* Allocate outside the lock, then re-check the PTE. */
	spin_unlock(&mm->page_table_lock);
	page = alloc_user_page();
	spin_lock(&mm->page_table_lock);
	if (!page)
		return -ENOMEM;
	if (!pte_none(*ptep)) {
		put_page(page);
		return 0;
	}
	umm_page_add_anon_rmap(page, vma, addr);
	umm_set_pte(mm, addr, ptep, pfn_pte(page_to_pfn(page),
					    vma_prot(vma, true)));
	return 0;
}

/* A shared file page at an empty PTE: from the page cache. */
static int fault_file_none(struct vm_area_struct *vma, unsigned long addr,
			   pte_t *ptep, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pgoff_t index = umm_linear_index(vma, addr);
	struct page *page;

	spin_unlock(&mm->page_table_lock);
	page = umm_file_get_page(vma->vm_file, index);
	spin_lock(&mm->page_table_lock);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!pte_none(*ptep)) {
		put_page(page);
		return 0;
	}
	umm_page_add_file_rmap(page);
	umm_set_pte(mm, addr, ptep, pfn_pte(page_to_pfn(page),
					    vma_prot(vma, write)));
	return 0;
}

/*
 * An anonymous page nobody else maps or references; a page in the swap
 * cache also must not back another PTE's swap entry of the same slot.
 */
static bool page_exclusive(struct page *page)
{
	return PageAnon(page) && page_mapcount(page) == 1 &&
	       page_count(page) == 1 &&
	       (!PageSwapCache(page) || umm_swap_count(page->private) == 1);
}

/*
 * Write to a present read-only PTE of a private writable mapping: reuse
 * an exclusive anonymous page, otherwise copy (the zero page, a page
 * still shared with a fork child) and announce CLEAR over the page.
 */
static int fault_wp_private(struct vm_area_struct *vma, unsigned long addr,
			    pte_t *ptep, pte_t orig)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_notifier_range range;
	struct page *old = NULL, *page;
	int ret;

	if (!pte_special(orig)) {
		old = pfn_to_page(pte_pfn(orig));
		if (page_exclusive(old) || PageAnonExclusive(old)) {
			umm_set_pte(mm, addr, ptep,
				    pte_mkdirty(pte_mkwrite(orig)));
			return 0;
		}
		get_page(old);
	}
	spin_unlock(&mm->page_table_lock);

	ret = umm_anon_vma_prepare(vma);
	page = ret ? NULL : alloc_user_page();
	if (page)
		umm_cow_copy(page, pte_pfn(orig), addr, vma);
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, addr,
				addr + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);

	spin_lock(&mm->page_table_lock);
	if (page && pte_val(*ptep) == pte_val(orig)) {
		flush_cache_page(vma, addr, pte_pfn(orig));
		umm_clear_pte(mm, addr, ptep);
		umm_page_add_anon_rmap(page, vma, addr);
		umm_set_pte(mm, addr, ptep, pfn_pte(page_to_pfn(page),
						    vma_prot(vma, true)));
		if (old) {
			umm_page_remove_rmap(old);
			put_page(old);
		}
		page = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	mmu_notifier_invalidate_range_end(&range);
	spin_lock(&mm->page_table_lock);

	if (page)
		put_page(page);
	if (old)
		put_page(old);
	return ret;
}

static int fault_present(struct vm_area_struct *vma, unsigned long addr,
			 pte_t *ptep, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t pte = *ptep;

	if (!write) {
		/* The mirror was replaced under a racing access: redo it. */
		umm_set_pte(mm, addr, ptep, pte);
		return 0;
	}
	if (pte_write(pte)) {
		/* What the MMU does on the first store: no notifier. */
		umm_set_pte(mm, addr, ptep, pte_mkdirty(pte_mkyoung(pte)));
		return 0;
	}
	if (vma->vm_flags & VM_SHARED) {
		umm_set_pte(mm, addr, ptep, pte_mkdirty(pte_mkwrite(pte)));
		return 0;
	}
	return fault_wp_private(vma, addr, ptep, pte);
}

static int fault_huge(struct vm_area_struct *vma, unsigned long addr,
		      pmd_t *pmdp, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t pmd = *pmdp;
	struct page *page;

	if (pmd_none(pmd)) {
		spin_unlock(&mm->page_table_lock);
		page = umm_file_get_page(vma->vm_file,
					 umm_linear_index(vma, addr & PMD_MASK));
		spin_lock(&mm->page_table_lock);
		if (IS_ERR(page))
			return PTR_ERR(page);
		if (!pmd_none(*pmdp)) {
			put_page(page);
			return 0;
		}
		umm_page_add_file_rmap(page);
		pmd = __pmd(pfn_pte(page_to_pfn(page), vma_prot(vma, write) |
				    _PAGE_PSE).pte);
	} else if (write) {
		/* Shared: a write after mprotect(RW) only makes it writable. */
		pmd = __pmd(pmd_val(pmd) | _PAGE_RW | _PAGE_DIRTY |
			    _PAGE_ACCESSED);
	}
	umm_set_pmd(mm, addr, pmdp, pmd);
	return 0;
}

/* A page being migrated: wait for the new PTE, then retry. */
static int fault_migration_wait(struct mm_struct *mm)
{
	spin_unlock(&mm->page_table_lock);
	sched_yield();
	spin_lock(&mm->page_table_lock);
	return 0;
}

/* The page caching @slot: from the swap cache, or read into a new one. */
static struct page *swapin_page(unsigned long slot)
{
	struct page *page = umm_swap_cache_lookup(slot);

	if (page)
		return page;
	page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!page)
		return NULL;
	umm_swap_read(slot, page);
	umm_swap_dup(slot);		/* the cache's count */
	umm_swap_cache_add(page, slot);
	return page;
}

/*
 * Swap-in.  The page stays in the swap cache, keeping the slot; the PTE
 * drops its count.  Writable only if nothing else shares the slot and no
 * other PTE maps the page (a fork child's swap-in can find the parent's
 * page in the swap cache); otherwise a write copies it.  The page lock,
 * as do_swap_page() holds it, makes that decision and the mapping one
 * step against another mm's swap-in.  No callback: the PTE was not
 * present.
 */
static int fault_swap(struct vm_area_struct *vma, unsigned long addr,
		      pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t orig = *ptep;
	unsigned long slot = umm_pte_slot(orig), prot = USER_PTE;
	struct page *page;

	spin_unlock(&mm->page_table_lock);
	page = swapin_page(slot);
	if (page)
		lock_page(page);
	spin_lock(&mm->page_table_lock);
	if (!page)
		return -ENOMEM;
	if (pte_val(*ptep) != pte_val(orig)) {
		unlock_page(page);
		put_page(page);
		return 0;
	}
	WRITE_ONCE(ptep->pte, 0);
	umm_swap_free(slot);		/* the PTE's count */
	if (umm_swap_count(slot) == 1 && !page_mapped(page) &&
	    (vma->vm_flags & VM_WRITE))
		prot |= _PAGE_RW;
	umm_page_add_anon_rmap(page, vma, addr);
	umm_set_pte(mm, addr, ptep, pfn_pte(page_to_pfn(page), prot));
	unlock_page(page);
	return 0;
}

static int fault_locked(struct vm_area_struct *vma, unsigned long addr,
			bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep;
	int ret;

	if (is_vm_hugetlb_page(vma))
		return fault_huge(vma, addr, umm_pmd_alloc(mm, addr), write);
	ret = umm_huge_pmd_fault(vma, addr, write);
	if (ret != UMM_THP_FALLBACK)
		return ret;
	ptep = umm_pte_alloc(mm, addr);
	if (!ptep)
		return 0;	/* a huge PMD maps it now: retry */
	if (pte_migration(*ptep))
		return fault_migration_wait(mm);
	if (pte_swp(*ptep))
		return fault_swap(vma, addr, ptep);
	if (!pte_none(*ptep))
		return fault_present(vma, addr, ptep, write);
	if (vma->vm_flags & VM_SHARED)
		return fault_file_none(vma, addr, ptep, write);
	return fault_anon_none(vma, addr, ptep, write);
}

static bool access_permitted(const struct vm_area_struct *vma, bool write)
{
	if (vma->vm_flags & VM_PFNMAP)
		return false;	/* populated at mmap; a fault is an error */
	return write ? vma->vm_flags & VM_WRITE : vma->vm_flags & VM_READ;
}

/**
 * umm_handle_fault_locked - resolve a fault at @addr in @vma
 * Context: mmap_lock held for read or write.  Returns 0 or -errno.
 */
int umm_handle_fault_locked(struct vm_area_struct *vma, unsigned long addr,
			    bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	mmap_assert_locked(mm);
	if (!access_permitted(vma, write))
		return -EFAULT;
	/* check_stable_address_space(): the OOM reaper took its memory */
	if (READ_ONCE(mm->unstable))
		return -EFAULT;
	/* A THP fault, even a read, gives the VMA its anon_vma (rule 6). */
	if ((write || umm_thp_vma_suitable(vma, addr)) &&
	    !(vma->vm_flags & VM_SHARED)) {
		ret = umm_anon_vma_prepare(vma);
		if (ret)
			return ret;
	}
	spin_lock(&mm->page_table_lock);
	ret = fault_locked(vma, addr & PAGE_MASK, write);
	spin_unlock(&mm->page_table_lock);
	return ret;
}

/**
 * umm_handle_fault - the lab's page-fault entry for user address @addr
 * Context: process context, mmap_lock not held.  Returns 0 when the
 * access can be retried, -EFAULT when it is not allowed (SIGSEGV).
 */
int umm_handle_fault(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = umm_handle_fault_locked(vma, addr, write);
	mmap_read_unlock(mm);
	return ret;
}
