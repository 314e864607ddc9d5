// SPDX-License-Identifier: GPL-2.0
/*
 * umm: transparent huge pages of private anonymous memory, as
 * mm/huge_memory.c does them with transparent_hugepage=madvise and the
 * huge zero page enabled.
 *
 * A fault in a 2 MiB aligned range that lies wholly inside a private
 * anonymous VMA with VM_HUGEPAGE (MADV_HUGEPAGE), at an empty PMD, maps
 * the whole range with one huge PMD: a read the huge zero page
 * (read-only), a write a new order-9 compound page.  Neither announces
 * anything (G rule 4).  The mirror maps the 2 MiB with one host mmap().
 *
 * A huge PMD is split into 512 PTEs, announcing CLEAR over the 2 MiB
 * (__split_huge_pmd()), when an operation needs part of it: a write to
 * the huge zero page or to a THP still shared with a fork child (the PTE
 * level then copies the one page: G rule 5), the edges of a partial
 * munmap, mprotect or VMA split (rule 9, before the operation's own
 * event), the edges of a partial MADV_DONTNEED (rule 9, nested inside
 * its CLEAR), reclaim (difference 2).  Splitting the PMD does not split
 * the compound page: as in Linux, a THP may stay mapped by PTEs.
 *
 * fork copies a huge PMD write-protected into the child, under the
 * PROTECTION_PAGE range of copy_page_range() (rule 6).  A write to a THP
 * mapped by one PMD and referenced by nothing else reuses it.
 */
#include <sched.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <umm/phys.h>
#include <umm/physmem.h>
#include <umm/rmap.h>
#include <umm/thp.h>

#define USER_PMD	(_PAGE_USER | _PAGE_ACCESSED)

static DEFINE_MUTEX(huge_zero_mutex);
/* Set once, never freed; written under huge_zero_mutex. */
static struct page *huge_zero_page;

/**
 * umm_huge_zero_page - the huge zero page, allocated at its first use
 *
 * A 2 MiB compound page of zeroes that is never freed; its direct map is
 * read-only, so a write to it through any mapping faults.  Not
 * PG_reserved: Linux allocates it as ordinary memory (get_huge_zero_page),
 * so what gup returns of it is refcounted RAM.
 *
 * Context: process context, may sleep.  Returns NULL if no 2 MiB block
 * is free (the fault then falls back to 4 KiB pages).
 */
struct page *umm_huge_zero_page(void)
{
	struct page *page = smp_load_acquire(&huge_zero_page);

	if (page)
		return page;
	mutex_lock(&huge_zero_mutex);
	page = huge_zero_page;
	if (!page) {
		page = alloc_pages(GFP_TRANSHUGE | __GFP_ZERO | __GFP_NOWARN,
				   HPAGE_PMD_ORDER);
		if (page) {
			umm_direct_map_protect(page_to_pfn(page), HPAGE_PMD_NR,
					       PROT_READ);
			smp_store_release(&huge_zero_page, page);
		}
	}
	mutex_unlock(&huge_zero_mutex);
	return page;
}

/**
 * is_huge_zero_page - is @page (any page of it) the huge zero page?
 * Context: any.
 */
bool is_huge_zero_page(const struct page *page)
{
	struct page *zero = smp_load_acquire(&huge_zero_page);

	return zero && compound_head(page) == zero;
}

/**
 * umm_vma_thp_capable - may @vma hold THPs (a private anonymous VMA)?
 * Context: mmap_lock held.
 */
bool umm_vma_thp_capable(const struct vm_area_struct *vma)
{
	return !vma->vm_file &&
	       !(vma->vm_flags & (VM_SHARED | VM_PFNMAP | VM_HUGETLB));
}

/**
 * umm_thp_vma_suitable - may a fault at @addr of @vma map a THP?
 *
 * transparent_hugepage=madvise: only with VM_HUGEPAGE, never with
 * VM_NOHUGEPAGE; the 2 MiB around @addr lie inside the VMA and keep
 * their alignment in its linear index (transhuge_vma_suitable()).
 *
 * Context: mmap_lock held.
 */
bool umm_thp_vma_suitable(const struct vm_area_struct *vma,
			  unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;

	if (!umm_vma_thp_capable(vma) || (vma->vm_flags & VM_NOHUGEPAGE) ||
	    !(vma->vm_flags & VM_HUGEPAGE))
		return false;
	if (((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff) &
	    (HPAGE_PMD_NR - 1))
		return false;
	return haddr >= vma->vm_start && haddr + PMD_SIZE <= vma->vm_end;
}

static unsigned long huge_prot(const struct vm_area_struct *vma)
{
	return USER_PMD | _PAGE_DIRTY |
	       (vma->vm_flags & VM_WRITE ? _PAGE_RW : 0);
}

/* do_huge_pmd_anonymous_page(): the huge zero page, or a new THP. */
static int huge_pmd_anonymous(struct vm_area_struct *vma, unsigned long addr,
			      pmd_t *pmdp, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = addr & PMD_MASK;
	struct page *page;

	/* Allocate outside the lock, then re-check the PMD. */
	spin_unlock(&mm->page_table_lock);
	if (write)
		page = alloc_pages(GFP_TRANSHUGE | __GFP_ZERO | __GFP_NOWARN,
				   HPAGE_PMD_ORDER);
	else
		page = umm_huge_zero_page();
	spin_lock(&mm->page_table_lock);
	if (!page)
		return UMM_THP_FALLBACK;
	if (!pmd_none(*pmdp)) {
		if (write)
			put_page(page);
		return 0;
	}
	if (!write) {
		umm_set_pmd(mm, haddr, pmdp, pfn_pmd(page_to_pfn(page),
				USER_PMD | _PAGE_SPECIAL));
		return 0;
	}
	umm_page_add_anon_rmap_pmd(page, vma, haddr);
	SetPageAnonExclusive(page);
	umm_set_pmd(mm, haddr, pmdp, pfn_pmd(page_to_pfn(page),
					     huge_prot(vma)));
	return 0;
}

/* Ours alone, or only this PMD maps it and nobody else holds it. */
static bool thp_exclusive(struct page *head)
{
	return PageAnonExclusive(head) ||
	       (PageAnon(head) && folio_mapcount(head) == 1 &&
		page_count(head) == 1);
}

/*
 * A fault on a present huge PMD: a write to a read-only one reuses an
 * exclusive THP (do_huge_pmd_wp_page()); otherwise the PMD is split and
 * the PTE level copies the one page (rule 5).
 */
static int huge_pmd_present(struct vm_area_struct *vma, unsigned long addr,
			    pmd_t *pmdp, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t pmd = *pmdp;
	unsigned long val = pmd_val(pmd);

	if (write && !pmd_write(pmd)) {
		if (is_huge_zero_pmd(pmd) ||
		    !thp_exclusive(pfn_to_page(pmd_pfn(pmd)))) {
			spin_unlock(&mm->page_table_lock);
			umm_split_huge_pmd(vma, addr, NULL);
			spin_lock(&mm->page_table_lock);
			return UMM_THP_FALLBACK;
		}
		val |= _PAGE_RW;
	}
	/* A write sets the dirty bit; a read redoes a replaced mirror. */
	if (write)
		val |= _PAGE_DIRTY | _PAGE_ACCESSED;
	umm_set_pmd(mm, addr, pmdp, __pmd(val));
	return 0;
}

/**
 * umm_huge_pmd_fault - the PMD level of the page-fault handler
 * @vma: a VMA that is not hugetlb
 * @addr: the faulting address
 * @write: a write fault (permitted by the VMA)
 *
 * Maps a THP or the huge zero page at an empty PMD of a suitable VMA,
 * handles a fault on a huge PMD, waits for a THP being migrated.
 *
 * Context: mmap_lock held, mm->page_table_lock held (dropped and
 * retaken).  Returns 0 (retry the access), -errno, or UMM_THP_FALLBACK
 * when the PTE level must handle the fault.
 */
int umm_huge_pmd_fault(struct vm_area_struct *vma, unsigned long addr,
		       bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmdp = umm_pmd_alloc(mm, addr);
	pmd_t pmd = *pmdp;

	if (pmd_none(pmd))
		return umm_thp_vma_suitable(vma, addr) ?
		       huge_pmd_anonymous(vma, addr, pmdp, write) :
		       UMM_THP_FALLBACK;
	if (!pmd_trans_huge(pmd))
		return UMM_THP_FALLBACK;
	if (pmd_migration(pmd)) {
		/* A THP being migrated: wait for the new PMD, then retry. */
		spin_unlock(&mm->page_table_lock);
		sched_yield();
		spin_lock(&mm->page_table_lock);
		return 0;
	}
	return huge_pmd_present(vma, addr, pmdp, write);
}

/* The 4 KiB mirrors of the small zero page, where the huge one was. */
static void remirror_zero(struct vm_area_struct *vma, unsigned long haddr)
{
	unsigned long i;

	if (!(vma->vm_flags & VM_READ))
		return;		/* PROT_NONE: nothing is mirrored */
	for (i = 0; i < HPAGE_PMD_NR; i++)
		umm_mirror_map(vma->vm_mm, haddr + (i << PAGE_SHIFT),
			       umm_zero_pfn, 1, false);
}

/* The PMD's mapping becomes 512 PTE mappings, exclusive if it was. */
static void split_rmap(struct page *head)
{
	unsigned long i;

	umm_page_rmap_pmd_to_ptes(head);
	if (!PageAnonExclusive(head))
		return;
	for (i = 1; i < HPAGE_PMD_NR; i++)
		SetPageAnonExclusive(head + i);
}

/**
 * umm_split_huge_pmd_locked - replace the huge PMD at @pmdp by a table
 * of 512 PTEs that map the same (__split_huge_pmd_locked())
 * @vma: the VMA
 * @haddr: the 2 MiB aligned address the PMD maps
 * @pmdp: a huge PMD: a THP, the huge zero page (which becomes 512 small
 *	zero pages) or a PMD migration entry (512 PTE migration entries)
 *
 * The PTEs keep the PMD's write, dirty and accessed bits, so the mirror
 * of a THP stays as it is.  Nothing is announced: the caller does.
 *
 * Context: mm->page_table_lock held, inside the caller's CLEAR range.
 */
void umm_split_huge_pmd_locked(struct vm_area_struct *vma,
			       unsigned long haddr, pmd_t *pmdp)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t pmd = *pmdp;
	bool zero = is_huge_zero_pmd(pmd);
	unsigned long flags = pmd_val(pmd) & ~(PTE_PFN_MASK | _PAGE_PSE);
	pte_t *table = umm_pte_table_alloc();
	unsigned long i;

	lockdep_assert_held(&mm->page_table_lock);
	for (i = 0; i < HPAGE_PMD_NR; i++) {
		unsigned long pfn = zero ? umm_zero_pfn : pmd_pfn(pmd) + i;

		table[i] = __pte((pfn << PAGE_SHIFT) | flags);
	}
	if (pmd_present(pmd) && !zero)
		split_rmap(pfn_to_page(pmd_pfn(pmd)));
	umm_pmd_populate(mm, pmdp, table);
	if (zero)
		remirror_zero(vma, haddr);
}

/**
 * umm_split_huge_pmd - split the huge PMD that maps @address, if any
 * (split_huge_pmd_address())
 * @vma: a VMA that may hold THPs (others are left alone)
 * @address: any address inside the 2 MiB
 * @folio: split only a PMD that maps this THP; NULL: any huge PMD
 *
 * Announces CLEAR over the 2 MiB around the split, as __split_huge_pmd()
 * does (G rules 5 and 9); nested inside the caller's range when there is
 * one, with its cur_seq (rule 20).
 *
 * Context: mmap_lock held (or the rmap lock of @folio); no spinlock held:
 * the notifier may sleep.
 */
void umm_split_huge_pmd(struct vm_area_struct *vma, unsigned long address,
			struct page *folio)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = address & PMD_MASK;
	struct mmu_notifier_range range;
	pmd_t *pmdp;
	bool huge;

	if (!umm_vma_thp_capable(vma))
		return;
	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, haddr);
	huge = pmdp && pmd_trans_huge(*pmdp) &&
	       (!folio || pmd_pfn(*pmdp) == page_to_pfn(folio));
	spin_unlock(&mm->page_table_lock);
	if (!huge)
		return;
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, haddr,
				haddr + PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	spin_lock(&mm->page_table_lock);
	if (pmd_trans_huge(*pmdp) &&
	    (!folio || pmd_pfn(*pmdp) == page_to_pfn(folio)))
		umm_split_huge_pmd_locked(vma, haddr, pmdp);
	spin_unlock(&mm->page_table_lock);
	mmu_notifier_invalidate_range_end(&range);
}

/**
 * umm_split_huge_pmd_edges - split the huge PMDs that [@start, @end)
 * covers only in part: at its first and its last 2 MiB
 * @vma: the VMA
 * @start: first address; a VMA split passes its address as both
 * @end: end of the range
 *
 * What vma_adjust_trans_huge() does before a VMA is split, and
 * zap_pmd_range() before zapping part of a PMD (G rule 9).
 *
 * Context: as umm_split_huge_pmd().
 */
void umm_split_huge_pmd_edges(struct vm_area_struct *vma,
			      unsigned long start, unsigned long end)
{
	if (start & ~PMD_MASK)
		umm_split_huge_pmd(vma, start, NULL);
	if (end & ~PMD_MASK)
		umm_split_huge_pmd(vma, end, NULL);
}

/**
 * umm_copy_huge_pmd - fork: copy the huge PMD that maps @addr of @src
 * into @dst (copy_huge_pmd())
 * @dst: the child's VMA
 * @src: the parent's VMA
 * @addr: an address inside the 2 MiB
 * @src_pmdp: the parent's huge PMD
 *
 * A THP is then mapped write-protected by both; the huge zero page as
 * it is; a PMD migration entry is copied read-only into both.
 *
 * Context: the page_table_lock of both mms held, inside the parent's
 * PROTECTION_PAGE range.
 */
void umm_copy_huge_pmd(struct vm_area_struct *dst, struct vm_area_struct *src,
		       unsigned long addr, pmd_t *src_pmdp)
{
	struct mm_struct *child = dst->vm_mm;
	unsigned long haddr = addr & PMD_MASK;
	pmd_t *dst_pmdp = umm_pmd_alloc(child, haddr);
	pmd_t pmd = *src_pmdp;
	struct page *head;

	if (pmd_migration(pmd)) {
		pmd = __pmd(pmd_val(pmd) & ~_PAGE_RW);
		WRITE_ONCE(src_pmdp->pmd, pmd_val(pmd));
		WRITE_ONCE(dst_pmdp->pmd, pmd_val(pmd));
		return;
	}
	if (!is_huge_zero_pmd(pmd)) {
		head = pfn_to_page(pmd_pfn(pmd));
		get_page(head);
		ClearPageAnonExclusive(head);
		umm_page_add_anon_rmap_pmd(head, dst, haddr);
		if (pmd_write(pmd)) {
			pmd = __pmd(pmd_val(pmd) & ~_PAGE_RW);
			umm_set_pmd(src->vm_mm, haddr, src_pmdp, pmd);
		}
	}
	umm_set_pmd(child, haddr, dst_pmdp, pmd);
}
