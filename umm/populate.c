// SPDX-License-Identifier: GPL-2.0
/*
 * umm: populating page tables ahead of use, and mlock.
 *
 * MADV_POPULATE_READ/WRITE and mlock fault pages in as get_user_pages()
 * does (populate_vma_page_range(), faultin_vma_page_range()): a page is
 * left alone if it is present with the access allowed, and otherwise
 * faulted in, with a write for MADV_POPULATE_WRITE and, for mlock, for
 * private writable VMAs.  So a write populate COWs every zero page and
 * read-only page of a private mapping, announcing CLEAR over each (G
 * rules 5 and 14), and announces nothing for empty PTEs, for memory
 * already written, or for shared memory (rule 4).  FOLL_TOUCH's dirtying
 * of a writable clean page is the lab's dirty-bit fault, silent too.
 *
 * mlock sets VM_LOCKED (splitting VMAs at the range's ends) and
 * populates; munlock clears it.  Neither announces anything (rule 13).
 * A page mapped in a VM_LOCKED VMA is unevictable: reclaim leaves it
 * alone (umm_page_mlocked(); Linux keeps it off the evictable LRU) and
 * MADV_PAGEOUT, MADV_COLD, MADV_DONTNEED and MADV_FREE of a locked VMA
 * are -EINVAL, as in Linux.  As in Linux, hugetlb and VM_PFNMAP VMAs
 * never become VM_LOCKED.  Simplified: no RLIMIT_MEMLOCK, no
 * MLOCK_ONFAULT, no mlockall.
 */
#include <linux/kernel.h>
#include <umm/ops.h>
#include <umm/rmap.h>
#include <umm/vma.h>

/* Does the entry at @addr allow the access without a fault? */
static bool entry_ready(struct vm_area_struct *vma, unsigned long addr,
			bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long val = 0;
	pmd_t *pmdp;
	pte_t *ptep;

	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, addr);
	if (pmdp && pmd_trans_huge(*pmdp)) {
		val = pmd_val(*pmdp);
	} else {
		ptep = umm_pte_lookup(mm, addr);
		if (ptep)
			val = pte_val(*ptep);
	}
	spin_unlock(&mm->page_table_lock);
	if (!(val & _PAGE_PRESENT))
		return false;
	return !write || (val & (_PAGE_RW | _PAGE_DIRTY)) ==
			 (_PAGE_RW | _PAGE_DIRTY);
}

/* Fault in [start, end) of @vma as gup would; 0 or the fault's error. */
static int populate_vma_range(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, bool write)
{
	unsigned long step = is_vm_hugetlb_page(vma) ? PMD_SIZE : PAGE_SIZE;
	unsigned long addr;
	int ret;

	mmap_assert_locked(vma->vm_mm);
	for (addr = start; addr < end; addr = ALIGN(addr + 1, step)) {
		while (!entry_ready(vma, addr, write)) {
			ret = umm_handle_fault_locked(vma, addr, write);
			if (ret)
				return ret;
		}
		cond_resched();
	}
	return 0;
}

static bool vma_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/**
 * umm_mm_populate - fault in [@start, @start + @len) as mm_populate() does
 * @mm: the address space
 * @start: page aligned
 * @len: bytes
 *
 * Private writable VMAs are faulted for write, others for read; holes,
 * VM_PFNMAP and inaccessible VMAs are skipped.
 *
 * Context: process context, takes mmap_lock for read.  Returns 0 or the
 * first fault's error.
 */
int umm_mm_populate(struct mm_struct *mm, unsigned long start,
		    unsigned long len)
{
	unsigned long end = start + len, addr = start;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	while (!ret && (vma = find_vma(mm, addr)) && vma->vm_start < end) {
		bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
			     VM_WRITE;

		if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)) &&
		    vma_accessible(vma))
			ret = populate_vma_range(vma, max(addr, vma->vm_start),
						 min(end, vma->vm_end), write);
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* check_vma_flags() for a populate: what the access may not do. */
static int populate_check(const struct vm_area_struct *vma, bool write)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EINVAL;
	if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & VM_READ))
		return -EINVAL;
	return 0;
}

/**
 * umm_madvise_populate - MADV_POPULATE_READ (@write false) or
 * MADV_POPULATE_WRITE of [@start, @end)
 * Context: process context, takes mmap_lock for read.  Returns 0,
 * -ENOMEM (a hole), -EINVAL (a VMA that does not allow the access),
 * -EFAULT (a fault that cannot be resolved).
 */
int umm_madvise_populate(struct mm_struct *mm, unsigned long start,
			 unsigned long end, bool write)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_read_lock(mm);
	while (!ret && addr < end) {
		vma = vma_lookup(mm, addr);
		if (!vma) {
			ret = -ENOMEM;
			break;
		}
		ret = populate_check(vma, write);
		if (!ret)
			ret = populate_vma_range(vma, addr,
						 min(end, vma->vm_end), write);
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret == -ENOMEM || ret == -EINVAL || !ret ? ret : -EFAULT;
}

/* mlock_fixup(): special and hugetlb VMAs never become VM_LOCKED. */
static bool lock_applies(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				  VM_MIXEDMAP | VM_HUGETLB));
}

/* apply_vma_lock_flags(): set or clear VM_LOCKED over [start, end). */
static int apply_lock_flags(struct mm_struct *mm, unsigned long start,
			    unsigned long end, bool lock)
{
	struct vm_area_struct *vma;
	unsigned long addr;

	mmap_assert_write_locked(mm);
	for (addr = start; addr < end; addr = vma->vm_end) {
		vma = vma_lookup(mm, addr);
		if (!vma)
			return -ENOMEM;
	}
	for (addr = start; addr < end; addr = vma->vm_end) {
		vma = vma_lookup(mm, addr);
		if (!lock_applies(vma) ||
		    !!(vma->vm_flags & VM_LOCKED) == lock)
			continue;
		vma = umm_vma_clip(mm, addr, end);
		if (!vma)
			return -ENOMEM;
		if (lock)
			vma->vm_flags |= VM_LOCKED;
		else
			vma->vm_flags &= ~VM_LOCKED;
		vma = umm_vma_merge(vma);
	}
	return 0;
}

static int lock_range(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, bool lock, unsigned long *start,
		      unsigned long *end)
{
	int ret;

	*start = addr & PAGE_MASK;
	*end = PAGE_ALIGN(addr + len);
	if (*end < *start || *end > mm->task_size)
		return -EINVAL;
	if (*end == *start)
		return 0;
	mmap_write_lock(mm);
	ret = apply_lock_flags(mm, *start, *end, lock);
	mmap_write_unlock(mm);
	return ret;
}

/**
 * umm_mlock - mlock(2): lock [@addr, @addr + @len) in memory
 * Context: process context, takes mmap_lock.  Returns 0, -ENOMEM (a hole
 * in the range), -EAGAIN (memory could not be allocated) or -EINVAL.
 */
int umm_mlock(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	unsigned long start, end;
	int ret = lock_range(mm, addr, len, true, &start, &end);

	if (ret || start == end)
		return ret;
	ret = umm_mm_populate(mm, start, end - start);
	/* __mlock_posix_error_return() */
	if (ret == -EFAULT)
		return -ENOMEM;
	return ret == -ENOMEM ? -EAGAIN : ret;
}

/**
 * umm_munlock - munlock(2)
 * Context: process context, takes mmap_lock for write.  Returns 0,
 * -ENOMEM (a hole in the range) or -EINVAL.
 */
int umm_munlock(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	unsigned long start, end;

	return lock_range(mm, addr, len, false, &start, &end);
}

/* folio_referenced_one()'s VM_LOCKED test: does this VMA map @page? */
static bool mlocked_one(struct page *page, struct vm_area_struct *vma,
			unsigned long addr, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	bool *locked = arg;
	pte_t *ptep;

	if (!(vma->vm_flags & VM_LOCKED))
		return true;
	spin_lock(&mm->page_table_lock);
	ptep = umm_pte_lookup(mm, addr);
	*locked = ptep && pte_present(*ptep) &&
		  pte_pfn(*ptep) == page_to_pfn(page);
	spin_unlock(&mm->page_table_lock);
	return !*locked;
}

/**
 * umm_page_mlocked - is @page mapped in a VM_LOCKED VMA (unevictable)?
 * Context: the caller holds the page lock and a reference.
 */
bool umm_page_mlocked(struct page *page)
{
	bool locked = false;

	umm_rmap_walk(page, mlocked_one, &locked);
	return locked;
}
