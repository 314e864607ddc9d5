// SPDX-License-Identifier: GPL-2.0
/*
 * umm: madvise.  MADV_DONTNEED announces CLEAR over the range clipped to
 * each VMA, even where nothing is mapped (G rule 7).  MADV_DONTFORK,
 * MADV_DOFORK, MADV_HUGEPAGE and MADV_NOHUGEPAGE only change VMA flags
 * and announce nothing; neither does MADV_COLD, which the lab, having no
 * LRU aging, accepts as a no-op.  MADV_FREE is in umm/lazyfree.c,
 * MADV_POPULATE_READ/WRITE in umm/populate.c, MADV_REMOVE in
 * umm/truncate.c, MADV_COLLAPSE (THPs of the 2 MiB blocks inside the
 * range) in umm/khugepaged.c.  Advice the lab does not model yet returns
 * -EINVAL, never a silent success.
 */
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/mm.h>
#include <umm/ops.h>
#include <umm/reclaim.h>
#include <umm/thp.h>
#include <umm/vma.h>

static int dontneed_vma(struct vm_area_struct *vma, unsigned long start,
			unsigned long end)
{
	struct mmu_notifier_range range;

	if (vma->vm_flags & (VM_PFNMAP | VM_LOCKED))
		return -EINVAL;
	if (is_vm_hugetlb_page(vma) &&
	    ((start | end) & (PMD_SIZE - 1)))
		return -EINVAL;
	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start, end);
	mmu_notifier_invalidate_range_start(&range);
	umm_zap_range(vma, start, end);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

static int dontneed(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_read_lock(mm);
	while (!ret && (vma = find_vma(mm, addr)) && vma->vm_start < end) {
		ret = dontneed_vma(vma, max(addr, vma->vm_start),
				   min(end, vma->vm_end));
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * MADV_PAGEOUT reclaims each page mapped in the range: CLEAR over each
 * page as it is unmapped (G rule 11), over the 2 MiB for a THP, which is
 * reclaimed whole (umm/thp_unmap.c).  Pages that cannot be reclaimed now
 * (pinned, shared with another process) are skipped, as in Linux.
 */
static int pageout(struct mm_struct *mm, unsigned long start,
		   unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr;
	int ret = 0;

	mmap_read_lock(mm);
	for (addr = start; addr < end && !ret; addr += PAGE_SIZE) {
		struct page *page;

		vma = vma_lookup(mm, addr);
		if (!vma || (vma->vm_flags & (VM_PFNMAP | VM_HUGETLB |
					      VM_LOCKED))) {
			ret = vma ? -EINVAL : 0;
			continue;
		}
		page = umm_page_at_locked(mm, addr);
		if (!page)
			continue;
		if (page_mapcount(page) == 1)
			umm_reclaim_page(page);
		put_page(page);
	}
	mmap_read_unlock(mm);
	return ret;
}

/* MADV_COLD only ages pages: no PTE changes, no callback (rule 13). */
static int cold(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_read_lock(mm);
	while ((vma = find_vma(mm, addr)) && vma->vm_start < end) {
		if (vma->vm_flags & (VM_PFNMAP | VM_HUGETLB | VM_LOCKED))
			ret = -EINVAL;
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

static int set_flag(struct mm_struct *mm, unsigned long start,
		    unsigned long end, unsigned long set, unsigned long clear)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	mmap_write_lock(mm);
	while ((vma = find_vma(mm, addr)) && vma->vm_start < end) {
		vma = umm_vma_clip(mm, max(addr, vma->vm_start), end);
		if (!vma) {
			ret = -ENOMEM;
			break;
		}
		vma->vm_flags = (vma->vm_flags & ~clear) | set;
		vma = umm_vma_merge(vma);
		addr = vma->vm_end;
	}
	mmap_write_unlock(mm);
	return ret;
}

/**
 * umm_madvise - madvise(2) of [@addr, @addr + @len)
 * Context: process context, takes mmap_lock.  Returns 0 or -errno.
 */
int umm_madvise(struct mm_struct *mm, unsigned long addr, unsigned long len,
		int advice)
{
	unsigned long end = addr + PAGE_ALIGN(len);

	if (addr & ~PAGE_MASK || end > mm->task_size || end < addr)
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
		return dontneed(mm, addr, end);
	case MADV_PAGEOUT:
		return pageout(mm, addr, end);
	case MADV_COLD:
		return cold(mm, addr, end);
	case MADV_FREE:
		return umm_madvise_free(mm, addr, end);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return umm_madvise_populate(mm, addr, end,
					    advice == MADV_POPULATE_WRITE);
	case MADV_REMOVE:
		return umm_madvise_remove(mm, addr, end);
	case MADV_DONTFORK:
		return set_flag(mm, addr, end, VM_DONTCOPY, 0);
	case MADV_DOFORK:
		return set_flag(mm, addr, end, 0, VM_DONTCOPY);
	case MADV_HUGEPAGE:
		return set_flag(mm, addr, end, VM_HUGEPAGE, VM_NOHUGEPAGE);
	case MADV_NOHUGEPAGE:
		return set_flag(mm, addr, end, VM_NOHUGEPAGE, VM_HUGEPAGE);
	case MADV_COLLAPSE:
		return umm_madvise_collapse(mm, addr, end);
	default:
		return -EINVAL;
	}
}
