// SPDX-License-Identifier: GPL-2.0
/*
 * umm: mremap.  What it announces follows G rule 8:
 *
 *  - shrinking unmaps the cut part: one UNMAP over it (munmap);
 *  - growing in place, where the range above the VMA is free, announces
 *    nothing: no page-table entry changes;
 *  - moving (MREMAP_FIXED, or growing where the VMA cannot grow) makes a
 *    new VMA with the same file offset or anonymous index (copy_vma()),
 *    moves the page-table entries, announcing UNMAP over the old range
 *    (move_page_tables(); hugetlb: CLEAR, move_hugetlb_page_tables()),
 *    then unmaps the old range as munmap does: a second UNMAP (and on
 *    6.1 the nested UNMAP of a hugetlb VMA, umm_zap_range()).
 *
 * Entries move with their mirror: a present PTE is cleared at the old
 * address (its mirror removed) and installed at the new one (mirrored
 * there), under the page-table lock.  Swap and migration entries move as
 * they are.  The reverse-map locks of the VMA are held for write during
 * the move, as take_rmap_locks() does, so that a reverse-map walk never
 * sees an entry in neither place.
 *
 * Not modelled: MREMAP_DONTUNMAP, an old length of zero (duplicating a
 * shared mapping), VMA merging, and moving a PMD-mapped THP that is not
 * 2 MiB aligned on both sides (it would be split first).
 */
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/mm.h>
#include <umm/ops.h>
#include <umm/phys.h>
#include <umm/vma.h>

/* The reverse-map locks of @vma's pages (take_rmap_locks()). */
static void take_rmap_locks(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		down_write(&vma->vm_file->i_mmap_rwsem);
	if (vma->anon_vma)
		down_write(&vma->anon_vma->rwsem);
}

static void drop_rmap_locks(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		up_write(&vma->anon_vma->rwsem);
	if (vma->vm_file)
		up_write(&vma->vm_file->i_mmap_rwsem);
}

/* Move one huge PMD from @old to @new, both 2 MiB aligned. */
static void move_huge_pmd(struct mm_struct *mm, pmd_t *oldp,
			  unsigned long old, unsigned long new)
{
	pmd_t pmd = __pmd(xchg(&oldp->pmd, 0));
	pmd_t *newp;

	umm_mirror_unmap(mm, old, PMD_SIZE);
	newp = umm_pmd_alloc(mm, new);
	/* An empty PTE table left by an earlier mapping goes first. */
	umm_free_pte_table(mm, newp);
	umm_set_pmd(mm, new, newp, pmd);
}

/* Move the PTE at @old, if any, to @new. */
static void move_pte(struct mm_struct *mm, unsigned long old,
		     unsigned long new)
{
	pte_t *oldp = umm_pte_lookup(mm, old), *newp, pte;

	if (!oldp || pte_none(*oldp))
		return;
	pte = *oldp;
	if (pte_present(pte))
		umm_clear_pte(mm, old, oldp);
	else
		WRITE_ONCE(oldp->pte, 0);	/* swap or migration entry */
	newp = umm_pte_alloc(mm, new);
	if (pte_present(pte))
		umm_set_pte(mm, new, newp, pte);
	else
		WRITE_ONCE(newp->pte, pte_val(pte));
}

static bool can_move_pmd(unsigned long old, unsigned long new,
			 unsigned long left)
{
	return !(old & ~PMD_MASK) && !(new & ~PMD_MASK) && left >= PMD_SIZE;
}

/* Move the entries of [@old, @old + @len) to @new. */
static void move_entries(struct mm_struct *mm, unsigned long old,
			 unsigned long new, unsigned long len)
{
	unsigned long done, step;

	spin_lock(&mm->page_table_lock);
	for (done = 0; done < len; done += step) {
		pmd_t *pmdp = umm_pmd_lookup(mm, old + done);

		step = PAGE_SIZE;
		if (pmdp && pmd_trans_huge(*pmdp)) {
			step = PMD_SIZE;
			if (!WARN_ON(!can_move_pmd(old + done, new + done,
						   len - done)))
				move_huge_pmd(mm, pmdp, old + done, new + done);
			continue;
		}
		move_pte(mm, old + done, new + done);
	}
	spin_unlock(&mm->page_table_lock);
}

/*
 * move_page_tables(): announce the old range (UNMAP; hugetlb CLEAR), then
 * move its entries under the reverse-map locks.
 */
static void move_page_tables(struct vm_area_struct *vma, unsigned long old,
			     unsigned long new, unsigned long len)
{
	enum mmu_notifier_event event = is_vm_hugetlb_page(vma) ?
					MMU_NOTIFY_CLEAR : MMU_NOTIFY_UNMAP;
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, event, 0, vma->vm_mm, old, old + len);
	mmu_notifier_invalidate_range_start(&range);
	take_rmap_locks(vma);
	move_entries(vma->vm_mm, old, new, len);
	drop_rmap_locks(vma);
	mmu_notifier_invalidate_range_end(&range);
}

/* move_vma(): a new VMA at @new_addr, the entries moved, the old unmapped. */
static long move_vma(struct vm_area_struct *vma, unsigned long old_addr,
		     unsigned long old_len, unsigned long new_len,
		     unsigned long new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	if (!umm_copy_vma(vma, old_addr, new_addr, new_len))
		return -ENOMEM;
	move_page_tables(vma, old_addr, new_addr, old_len);
	ret = umm_do_munmap(mm, old_addr, old_len);
	return ret ? ret : (long)new_addr;
}

/* vma_to_resize(): may [@addr, @addr + @old_len) become @new_len long? */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm,
					    unsigned long addr,
					    unsigned long old_len,
					    unsigned long new_len)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return ERR_PTR(-EFAULT);
	if (old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);
	if (new_len > old_len &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return ERR_PTR(-EFAULT);
	return vma;
}

static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long end = vma->vm_end + delta;
	struct vm_area_struct *next;

	if (end < vma->vm_end || end > mm->task_size)
		return false;
	next = find_vma(mm, vma->vm_end);
	return !next || next->vm_start >= end;
}

/* MREMAP_FIXED: unmap the target, cut the source, move (mremap_to()). */
static long mremap_to(struct mm_struct *mm, unsigned long addr,
		      unsigned long old_len, unsigned long new_addr,
		      unsigned long new_len)
{
	struct vm_area_struct *vma;
	int ret;

	if (new_addr & ~PAGE_MASK || new_len > mm->task_size ||
	    new_addr > mm->task_size - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;
	ret = umm_do_munmap(mm, new_addr, new_len);
	if (!ret && old_len > new_len) {
		ret = umm_do_munmap(mm, addr + new_len, old_len - new_len);
		old_len = new_len;
	}
	if (ret)
		return ret;
	vma = vma_to_resize(mm, addr, old_len, new_len);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	return move_vma(vma, addr, old_len, new_len, new_addr);
}

/* Grow in place if the VMA can, otherwise move if allowed. */
static long mremap_grow(struct mm_struct *mm, unsigned long addr,
			unsigned long old_len, unsigned long new_len,
			unsigned long flags)
{
	struct vm_area_struct *vma = vma_to_resize(mm, addr, old_len, new_len);
	unsigned long new_addr;

	if (IS_ERR(vma))
		return PTR_ERR(vma);
	if (old_len == vma->vm_end - addr &&
	    vma_expandable(vma, new_len - old_len)) {
		vma->vm_end = addr + new_len;
		return addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = umm_get_unmapped_area(mm, new_len);
	if (!new_addr)
		return -ENOMEM;
	return move_vma(vma, addr, old_len, new_len, new_addr);
}

static long mremap_locked(struct mm_struct *mm, unsigned long addr,
			  unsigned long old_len, unsigned long new_len,
			  unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	int ret;

	if (!vma)
		return -EFAULT;
	if (is_vm_hugetlb_page(vma)) {
		old_len = ALIGN(old_len, PMD_SIZE);
		new_len = ALIGN(new_len, PMD_SIZE);
		/* The reservation cannot be split: no growing. */
		if ((addr | new_addr) & ~PMD_MASK || new_len > old_len)
			return -EINVAL;
	}
	if (flags & MREMAP_FIXED)
		return mremap_to(mm, addr, old_len, new_addr, new_len);
	if (old_len >= new_len) {
		ret = umm_do_munmap(mm, addr + new_len, old_len - new_len);
		if (ret && old_len != new_len)
			return ret;
		return addr;
	}
	return mremap_grow(mm, addr, old_len, new_len, flags);
}

/*
 * A locked VMA that grew has its new part populated, as mlock does
 * (mremap's mm_populate()).
 */
static void populate_grown(struct mm_struct *mm, long ret,
			   unsigned long old_len, unsigned long new_len)
{
	struct vm_area_struct *vma;
	bool locked;

	if (ret < 0 || new_len <= old_len)
		return;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, ret);
	locked = vma && (vma->vm_flags & VM_LOCKED);
	mmap_read_unlock(mm);
	if (locked)
		umm_mm_populate(mm, ret + old_len, new_len - old_len);
}

/**
 * umm_mremap - mremap(2)
 * @mm: the address space
 * @addr: the start of the mapping to change, page aligned
 * @old_len: its length (one VMA, unless shrinking)
 * @new_len: the length wanted
 * @flags: 0, MREMAP_MAYMOVE, or MREMAP_MAYMOVE | MREMAP_FIXED
 * @new_addr: with MREMAP_FIXED, where to move it (what is there is
 *	unmapped first)
 *
 * Context: process context, takes mmap_lock for write.  Returns the
 * address of the mapping, or -EINVAL, -EFAULT (no VMA at @addr, or the
 * old range is not within one), -ENOMEM (cannot grow in place and may
 * not move).
 */
long umm_mremap(struct mm_struct *mm, unsigned long addr,
		unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE))
		return -EINVAL;	/* MREMAP_DONTUNMAP: not modelled */
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || !old_len)
		return -EINVAL;	/* old_len 0 duplicates: not modelled */

	mmap_write_lock(mm);
	ret = mremap_locked(mm, addr, old_len, new_len, flags, new_addr);
	mmap_write_unlock(mm);
	populate_grown(mm, ret, old_len, new_len);
	return ret;
}
