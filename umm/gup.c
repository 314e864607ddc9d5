// SPDX-License-Identifier: GPL-2.0
/*
 * umm: get_user_pages and friends, on current->mm.
 *
 * The slow path runs under mmap_lock and faults pages in; with FOLL_WRITE
 * it breaks COW and marks the PTE dirty, as FOLL_TOUCH does in Linux; a
 * pin never takes the zero page.
 *
 * The fast path walks the page tables without mmap_lock or the page
 * table lock, inside rcu_read_lock() (tables are freed after a grace
 * period: umm/pgtable.c).  It takes a reference only if the page's
 * count is not zero, then re-reads the entry: if it changed, the page
 * may have been unmapped and freed meanwhile, and the reference is
 * dropped.  It neither faults nor dirties: a writable clean PTE is
 * returned for FOLL_WRITE as it is, so a caller that then writes
 * through a kernel mapping must dirty the page itself.
 */
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <umm/mm.h>

#define GUP_PIN_COUNTING_BIAS	1024

static void grab_page(struct page *page, unsigned int flags)
{
	struct page *head = compound_head(page);

	if (flags & FOLL_PIN)
		atomic_add(GUP_PIN_COUNTING_BIAS, &head->_refcount);
	else
		get_page(head);
}

/* ---- the slow path ---- */

/* The page mapped at @addr if it allows the access; NULL to fault. */
static struct page *follow_page(struct vm_area_struct *vma,
				unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	bool write = flags & FOLL_WRITE;
	struct page *page = NULL;
	pmd_t *pmdp;
	pte_t *ptep;

	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, addr);
	if (pmdp && pmd_trans_huge(*pmdp)) {
		/* Not present: a THP being migrated; the fault waits. */
		if (pmd_present(*pmdp) && (!write || pmd_write(*pmdp))) {
			page = pfn_to_page(pmd_pfn(*pmdp)) +
			       ((addr & ~PMD_MASK) >> PAGE_SHIFT);
			if (write && !pmd_dirty(*pmdp))
				umm_set_pmd(mm, addr, pmdp, __pmd(pmd_val(*pmdp)
					    | _PAGE_DIRTY));
		}
	} else if ((ptep = umm_pte_lookup(mm, addr)) && pte_present(*ptep) &&
		   (!write || pte_write(*ptep)) &&
		   !((flags & FOLL_PIN) && is_zero_pfn(pte_pfn(*ptep)))) {
		page = pfn_to_page(pte_pfn(*ptep));
		if (write && !pte_dirty(*ptep))
			umm_set_pte(mm, addr, ptep, pte_mkdirty(*ptep));
	}
	if (page)
		grab_page(page, flags);
	spin_unlock(&mm->page_table_lock);
	return page;
}

/*
 * A pin of a private page for read must not pin the shared zero page
 * (the pin would outlive the COW that replaces it): Linux unshares with
 * FAULT_FLAG_UNSHARE; the lab faults it in as a write would.
 */
static bool gup_fault_write(struct vm_area_struct *vma, unsigned int flags)
{
	return (flags & FOLL_WRITE) ||
	       ((flags & FOLL_PIN) && !(vma->vm_flags & VM_SHARED));
}

static int check_vma(struct vm_area_struct *vma, unsigned int flags)
{
	if (!vma || (vma->vm_flags & (VM_IO | VM_PFNMAP)))
		return -EFAULT;
	if ((flags & FOLL_WRITE) && !(vma->vm_flags & VM_WRITE) &&
	    !(flags & FOLL_FORCE))
		return -EFAULT;
	if (!(vma->vm_flags & VM_READ))
		return -EFAULT;
	return 0;
}

static long gup_slow(struct mm_struct *mm, unsigned long start,
		     unsigned long nr_pages, unsigned int flags,
		     struct page **pages)
{
	unsigned long i;

	mmap_assert_locked(mm);
	for (i = 0; i < nr_pages; i++) {
		unsigned long addr = start + (i << PAGE_SHIFT);
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		int ret = check_vma(vma, flags);
		struct page *page;

		while (!ret && !(page = follow_page(vma, addr, flags))) {
			if (flags & FOLL_NOFAULT)
				ret = -EFAULT;
			else
				ret = umm_handle_fault_locked(vma, addr,
							      gup_fault_write(vma, flags));
		}
		if (ret)
			return i ? (long)i : ret;
		pages[i] = page;
		/* The kernel is about to access it through its own alias. */
		flush_anon_page(vma, page, addr);
		flush_dcache_page(page);
	}
	return nr_pages;
}

/**
 * get_user_pages - take references on the pages of current->mm at @start
 * @start: user address, page aligned
 * @nr_pages: how many pages
 * @gup_flags: FOLL_WRITE, FOLL_FORCE, FOLL_NOFAULT, FOLL_PIN
 * @pages: receives the pages
 *
 * Context: process context with mmap_lock of current->mm held for read;
 * may sleep.  Returns the number of pages taken (maybe fewer than asked)
 * or -EFAULT if none.
 */
long get_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	might_sleep();
	return gup_slow(current->mm, start, nr_pages, gup_flags, pages);
}

/* ---- the fast path ---- */

/* Take @page if the entry at @entryp still holds @val afterwards. */
static struct page *try_grab_lockless(struct page *page,
				      const unsigned long *entryp,
				      unsigned long val, unsigned int flags)
{
	struct page *head = compound_head(page);

	if (!get_page_unless_zero(head))
		return NULL;
	/* Pairs with the xchg that clears an entry before put_page(). */
	smp_mb();
	if (READ_ONCE(*entryp) != val) {
		put_page(head);
		return NULL;
	}
	if (flags & FOLL_PIN)
		atomic_add(GUP_PIN_COUNTING_BIAS - 1, &head->_refcount);
	return page;
}

static struct page *gup_fast_one(struct mm_struct *mm, unsigned long addr,
				 unsigned int flags)
{
	bool write = flags & FOLL_WRITE;
	unsigned long val, *entryp;
	pmd_t *pmdp = umm_pmd_lookup(mm, addr);
	pte_t *ptep;

	if (!pmdp)
		return NULL;
	/* Pairs with the release store of umm_set_pmd(). */
	val = smp_load_acquire(&pmdp->pmd);
	if (val & _PAGE_PSE) {
		if (!(val & _PAGE_PRESENT) || (val & _PAGE_SPECIAL) ||
		    (write && !(val & _PAGE_RW)))
			return NULL;
		return try_grab_lockless(pfn_to_page(pmd_pfn(__pmd(val))) +
					 ((addr & ~PMD_MASK) >> PAGE_SHIFT),
					 &pmdp->pmd, val, flags);
	}
	ptep = umm_pte_lookup(mm, addr);
	if (!ptep)
		return NULL;
	entryp = &ptep->pte;
	/* Pairs with the release store of umm_set_pte(). */
	val = smp_load_acquire(entryp);
	if (!(val & _PAGE_PRESENT) || (val & _PAGE_SPECIAL) ||
	    (write && !(val & _PAGE_RW)))
		return NULL;
	return try_grab_lockless(pfn_to_page(pte_pfn(__pte(val))), entryp, val,
				 flags);
}

static int gup_fast(unsigned long start, int nr_pages, unsigned int flags,
		    struct page **pages)
{
	struct mm_struct *mm = current->mm;
	int i;

	if (!mm || start & ~PAGE_MASK || nr_pages <= 0 ||
	    start + ((unsigned long)nr_pages << PAGE_SHIFT) > mm->task_size)
		return 0;
	rcu_read_lock();
	for (i = 0; i < nr_pages; i++) {
		pages[i] = gup_fast_one(mm, start + ((unsigned long)i <<
						     PAGE_SHIFT), flags);
		if (!pages[i])
			break;
	}
	rcu_read_unlock();
	return i;
}

static int gup_fast_fallback(unsigned long start, int nr_pages,
			     unsigned int flags, struct page **pages)
{
	struct mm_struct *mm = current->mm;
	int nr = gup_fast(start, nr_pages, flags, pages);
	long ret;

	if (nr == nr_pages)
		return nr;
	might_sleep();
	mmap_read_lock(mm);
	ret = gup_slow(mm, start + ((unsigned long)nr << PAGE_SHIFT),
		       nr_pages - nr, flags, pages + nr);
	mmap_read_unlock(mm);
	if (ret < 0)
		return nr ? nr : ret;
	return nr + ret;
}

/**
 * get_user_pages_fast - get_user_pages() without mmap_lock when the
 * pages are already mapped with the access allowed; otherwise the slow
 * path for the rest
 * Context: process context, may sleep.  Returns pages taken or -errno.
 */
int get_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	return gup_fast_fallback(start, nr_pages, gup_flags, pages);
}

/**
 * get_user_pages_fast_only - the lockless walk only: never sleeps,
 * never faults
 * Context: any context.  Returns the number of pages taken (0..nr).
 */
int get_user_pages_fast_only(unsigned long start, int nr_pages,
			     unsigned int gup_flags, struct page **pages)
{
	return gup_fast(start, nr_pages, gup_flags, pages);
}

/**
 * pin_user_pages_fast - get_user_pages_fast() with FOLL_PIN: each page's
 * count is raised by GUP_PIN_COUNTING_BIAS; release with unpin_user_page()
 * Context: process context, may sleep.
 */
int pin_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	return gup_fast_fallback(start, nr_pages, gup_flags | FOLL_PIN, pages);
}

void unpin_user_page(struct page *page)
{
	struct page *head = compound_head(page);

	atomic_sub(GUP_PIN_COUNTING_BIAS - 1, &head->_refcount);
	put_page(head);
}

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		unpin_user_page(pages[i]);
}

/**
 * unpin_user_pages_dirty_lock - unpin, dirtying first if @make_dirty
 * Context: process context, may sleep (takes the page lock).
 */
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages,
				 bool make_dirty)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		if (make_dirty)
			set_page_dirty_lock(pages[i]);
		unpin_user_page(pages[i]);
	}
}

/**
 * follow_pfn - the pfn mapped at @address of a VM_IO/VM_PFNMAP @vma
 * Context: mmap_lock held.  Returns 0 or -EINVAL.
 */
int follow_pfn(struct vm_area_struct *vma, unsigned long address,
	       unsigned long *pfn)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep;
	int ret = -EINVAL;

	mmap_assert_locked(mm);
	if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)))
		return -EINVAL;
	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, address);
	if (ptep && pte_present(*ptep)) {
		*pfn = pte_pfn(*ptep);
		ret = 0;
	}
	spin_unlock(&mm->page_table_lock);
	return ret;
}
