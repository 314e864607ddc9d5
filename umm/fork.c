// SPDX-License-Identifier: GPL-2.0
/*
 * umm: fork.  The child gets a copy of every VMA but those marked
 * MADV_DONTFORK.  Private VMAs that have an anon_vma (were written) have
 * their present PTEs copied write-protected into the child and
 * write-protected in the parent, after announcing PROTECTION_PAGE over
 * the whole parent VMA (G rule 6); a later write in either copies the
 * page unless it has become exclusive again (rule 5); huge PMDs are copied
 * whole (umm_copy_huge_pmd()).  Shared VMAs and
 * private VMAs never written copy nothing: the child faults them in.
 * VM_PFNMAP VMAs have their special PTEs copied, with no callback.
 * A pinned anonymous page is copied for the child at once and stays
 * writable in the parent (Linux 5.9+).
 */
#include <string.h>
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/file.h>
#include <umm/phys.h>
#include <umm/rmap.h>
#include <umm/swap.h>
#include <umm/thp.h>
#include <umm/vma.h>

static bool vma_is_cow(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* folio_maybe_dma_pinned(): gup.c's pins count this much. */
#define GUP_PIN_COUNTING_BIAS	1024

/*
 * A pinned anonymous page stays the parent's, mapped as it was: the
 * child gets a copy now, as copy_present_page() does, or the pin holder
 * would lose the parent's next write to a COW copy.  Linux allocates
 * the copy before taking the page-table locks; the lab allocates it
 * atomically under them.  False if there is no page to copy into.
 */
static bool copy_pinned_page(struct vm_area_struct *dst, unsigned long addr,
			     struct page *page, pte_t pte)
{
	struct page *copy = alloc_page(GFP_ATOMIC);
	unsigned long prot = (pte_val(pte) & ~PTE_PFN_MASK) | _PAGE_DIRTY;

	if (!copy)
		return false;
	memcpy(umm_pfn_host(page_to_pfn(copy)), umm_pfn_host(page_to_pfn(page)),
	       PAGE_SIZE);
	umm_page_add_anon_rmap(copy, dst, addr);
	umm_set_pte(dst->vm_mm, addr, umm_pte_alloc(dst->vm_mm, addr),
		    pfn_pte(page_to_pfn(copy), prot));
	return true;
}

/* Copy one present PTE; write-protect both copies of a COW page. */
static void copy_pte(struct vm_area_struct *dst, struct vm_area_struct *src,
		     unsigned long addr, pte_t *src_ptep)
{
	pte_t pte = *src_ptep;

	if (!pte_special(pte)) {
		struct page *page = pfn_to_page(pte_pfn(pte));

		if (PageAnon(page) &&
		    page_count(page) >= GUP_PIN_COUNTING_BIAS &&
		    copy_pinned_page(dst, addr, page, pte))
			return;
		get_page(page);
		ClearPageAnonExclusive(page);	/* a page of a THP */
		umm_page_add_anon_rmap(page, dst, addr);
		if (pte_write(pte)) {
			pte = pte_wrprotect(pte);
			umm_set_pte(src->vm_mm, addr, src_ptep, pte);
		}
	}
	umm_set_pte(dst->vm_mm, addr, umm_pte_alloc(dst->vm_mm, addr), pte);
}

static void copy_ptes(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct mm_struct *mm = src->vm_mm, *child = dst->vm_mm;
	unsigned long addr;

	spin_lock(&mm->page_table_lock);
	spin_lock(&child->page_table_lock);
	for (addr = src->vm_start; addr < src->vm_end; addr += PAGE_SIZE) {
		pmd_t *pmdp = umm_pmd_lookup(mm, addr);
		pte_t *ptep;

		if (pmdp && pmd_trans_huge(*pmdp)) {
			umm_copy_huge_pmd(dst, src, addr, pmdp);
			/* On to the next 2 MiB. */
			addr = (addr | ~PMD_MASK) & PAGE_MASK;
			continue;
		}
		ptep = umm_pte_lookup(mm, addr);
		if (!ptep || pte_none(*ptep))
			continue;
		if (pte_present(*ptep)) {
			copy_pte(dst, src, addr, ptep);
			continue;
		}
		/*
		 * Swap and migration entries are shared as they are; a
		 * migration entry read-only in both, or the page would come
		 * back writable to two processes (copy_nonpresent_pte()).
		 */
		if (pte_swp(*ptep))
			umm_swap_dup(umm_pte_slot(*ptep));
		else if (pte_migration(*ptep) && vma_is_cow(src))
			WRITE_ONCE(ptep->pte, pte_val(*ptep) & ~_PAGE_RW);
		WRITE_ONCE(umm_pte_alloc(child, addr)->pte, pte_val(*ptep));
	}
	spin_unlock(&child->page_table_lock);
	spin_unlock(&mm->page_table_lock);
}

static void copy_page_range(struct vm_area_struct *dst,
			    struct vm_area_struct *src)
{
	struct mmu_notifier_range range;
	bool cow = vma_is_cow(src);

	if (!(src->vm_flags & VM_PFNMAP) && !(cow && src->anon_vma))
		return;
	if (cow) {
		mmu_notifier_range_init(&range, MMU_NOTIFY_PROTECTION_PAGE, 0,
					src->vm_mm, src->vm_start, src->vm_end);
		mmu_notifier_invalidate_range_start(&range);
	}
	copy_ptes(dst, src);
	if (cow)
		mmu_notifier_invalidate_range_end(&range);
}

static struct vm_area_struct *dup_vma(struct mm_struct *child,
				      struct vm_area_struct *src)
{
	struct vm_area_struct *vma = kmalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return NULL;
	*vma = *src;
	vma->vm_mm = child;
	INIT_LIST_HEAD(&vma->vm_shared);
	list_add_tail(&vma->vm_list, &child->vmas);
	if (vma->vm_file) {
		umm_file_get(vma->vm_file);
		down_write(&vma->vm_file->i_mmap_rwsem);
		list_add(&vma->vm_shared, &vma->vm_file->i_mmap);
		up_write(&vma->vm_file->i_mmap_rwsem);
	} else if (vma->anon_vma) {
		atomic_inc(&vma->anon_vma->refs);
		down_write(&vma->anon_vma->rwsem);
		list_add(&vma->vm_shared, &vma->anon_vma->vmas);
		up_write(&vma->anon_vma->rwsem);
	}
	return vma;
}

/**
 * umm_fork - fork(2) of @mm: a new address space sharing its pages COW
 * Context: process context, takes mmap_lock of @mm for write.  Returns
 * the child's mm or NULL.
 */
struct mm_struct *umm_fork(struct mm_struct *mm)
{
	struct mm_struct *child = umm_mm_create();
	struct vm_area_struct *src, *dst;
	bool failed = false;

	if (!child)
		return NULL;
	mmap_write_lock(mm);
	flush_cache_dup_mm(mm);
	mmap_write_lock(child);
	for_each_vma_in(mm, src) {
		if (src->vm_flags & VM_DONTCOPY)
			continue;
		dst = dup_vma(child, src);
		if (!dst) {
			failed = true;
			break;
		}
		copy_page_range(dst, src);
	}
	mmap_write_unlock(child);
	mmap_write_unlock(mm);
	if (failed) {
		mmput(child);
		return NULL;
	}
	return child;
}
