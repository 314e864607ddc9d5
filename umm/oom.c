// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the OOM reaper, as process_mrelease(2) and the oom_reaper thread
 * run it (__oom_reap_task_mm()) on the mm of a killed process.
 *
 * Each private VMA (anonymous, or a file mapped without VM_SHARED) is
 * zapped whole after announcing UNMAP over it with
 * mmu_notifier_invalidate_range_start_nonblock(): the only non-blockable
 * invalidation Linux makes (G rules 2 and 17).  Its callbacks run between
 * non_block_start() and non_block_end(), so one that sleeps is reported
 * by the lab's might_sleep().  A notifier that refuses (-EAGAIN: an
 * interval notifier returning false, a classic start failing) makes the
 * reaper leave that VMA alone and go on; the call then returns -EAGAIN,
 * as process_mrelease() does.  Shared, hugetlb and VM_PFNMAP VMAs are
 * left to exit, which follows later with RELEASE and UNMAP of everything.
 *
 * The reaped process is dying: no user access follows.  As Linux, the
 * reaper marks the mm unstable (MMF_UNSTABLE) before it zaps anything, so
 * that a later fault in it (a kthread's copy_from_user(), say) fails
 * (check_stable_address_space(): SIGBUS, -EFAULT for uaccess) instead of
 * reading the reaped memory back as zeroes.
 */
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/mm.h>
#include <umm/vma.h>

/* Only memory freed without I/O or blocking: private memory. */
static bool vma_reapable(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_HUGETLB | VM_PFNMAP))
		return false;
	/* vma_is_anonymous(vma) || !(vma->vm_flags & VM_SHARED) */
	return !vma->vm_file || !(vma->vm_flags & VM_SHARED);
}

static int reap_vma(struct vm_area_struct *vma)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, vma->vm_mm,
				vma->vm_start, vma->vm_end);
	if (mmu_notifier_invalidate_range_start_nonblock(&range))
		return -EAGAIN;
	umm_zap_range(vma, vma->vm_start, vma->vm_end);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

/**
 * umm_oom_reap - free the private memory of a killed process's @mm now
 * @mm: the address space; the caller holds a reference (mmgrab or mmget)
 *	and no lab user thread uses it any more
 *
 * Context: process context, takes mmap_lock for read; the notifier
 * callbacks are called non-blockable.  Returns 0, or -EAGAIN if a
 * notifier refused some VMA, which was then left as it was.
 */
int umm_oom_reap(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	WRITE_ONCE(mm->unstable, true);	/* read by faults under mmap_lock */
	for_each_vma_in(mm, vma)
		if (vma_reapable(vma) && reap_vma(vma))
			ret = -EAGAIN;
	mmap_read_unlock(mm);
	return ret;
}
