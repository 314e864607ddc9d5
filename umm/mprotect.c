// SPDX-License-Identifier: GPL-2.0
/*
 * umm: mprotect.  Each VMA whose protection changes announces
 * PROTECTION_VMA from the first populated page-table level inside the
 * range to the end of the range: the first PMD entry with a PTE table
 * under it on 6.1, the first PUD entry with a PMD table under it on 6.12
 * (G rule 10 and difference 1); hugetlb VMAs announce the whole range.
 * Nothing is announced where nothing is populated.
 */
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <umm/mm.h>
#include <umm/phys.h>
#include <umm/vma.h>

static unsigned long first_populated(struct vm_area_struct *vma,
				     unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool v61 = umm_config()->kernel == UMM_KERNEL_6_1;
	unsigned long step = v61 ? PMD_SIZE : PUD_SIZE;
	unsigned long addr = start;

	if (is_vm_hugetlb_page(vma))
		return start;
	while (addr < end) {
		if (v61 ? umm_pmd_populated(mm, addr) :
			  umm_pud_populated(mm, addr))
			return addr;
		addr = (addr & ~(step - 1)) + step;
	}
	return end;
}

static unsigned long new_pte_val(unsigned long val, unsigned long vm_flags)
{
	if (!(vm_flags & VM_WRITE))
		val &= ~_PAGE_RW;
	return val;
}

/* Apply @vma's new flags to the entries of [start, end). */
static void change_entries(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool accessible = vma->vm_flags & VM_READ;
	unsigned long addr = start, size;

	spin_lock(&mm->page_table_lock);
	for (; addr < end; addr += size) {
		pmd_t *pmdp = umm_pmd_lookup(mm, addr);
		pte_t *ptep;

		size = PAGE_SIZE;
		if (pmdp && pmd_trans_huge(*pmdp)) {
			size = PMD_SIZE;
			umm_set_pmd(mm, addr, pmdp, __pmd(new_pte_val(
					pmd_val(*pmdp), vma->vm_flags)));
			if (!accessible)
				umm_mirror_unmap(mm, addr, PMD_SIZE);
			continue;
		}
		ptep = umm_pte_lookup(mm, addr);
		/* A page being migrated must not come back writable. */
		if (ptep && pte_migration(*ptep))
			WRITE_ONCE(ptep->pte, new_pte_val(pte_val(*ptep),
							  vma->vm_flags));
		if (!ptep || !pte_present(*ptep))
			continue;
		umm_set_pte(mm, addr, ptep,
			    __pte(new_pte_val(pte_val(*ptep), vma->vm_flags)));
		/* PROT_NONE: the PTE stays, no access goes through it. */
		if (!accessible)
			umm_mirror_unmap(mm, addr, PAGE_SIZE);
	}
	spin_unlock(&mm->page_table_lock);
}

static void mprotect_vma(struct vm_area_struct *vma, unsigned long vm_flags)
{
	struct mmu_notifier_range range;
	unsigned long start;

	start = first_populated(vma, vma->vm_start, vma->vm_end);
	vma->vm_flags = vm_flags;
	if (start == vma->vm_end)
		return;
	mmu_notifier_range_init(&range, MMU_NOTIFY_PROTECTION_VMA, 0,
				vma->vm_mm, start, vma->vm_end);
	mmu_notifier_invalidate_range_start(&range);
	flush_cache_range(vma, start, vma->vm_end);	/* change_protection */
	change_entries(vma, start, vma->vm_end);
	mmu_notifier_invalidate_range_end(&range);
}

static unsigned long vma_new_flags(struct vm_area_struct *vma, int prot)
{
	unsigned long mask = VM_READ | VM_WRITE | VM_EXEC;
	unsigned long want = (prot & PROT_READ ? VM_READ : 0) |
			     (prot & PROT_WRITE ? VM_WRITE : 0) |
			     (prot & PROT_EXEC ? VM_EXEC : 0);

	return (vma->vm_flags & ~mask) | want;
}

static int mprotect_locked(struct mm_struct *mm, unsigned long start,
			   unsigned long end, int prot)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;

	/* The whole range must be mapped, as mprotect(2) requires. */
	for (vma = vma_lookup(mm, start); vma && addr < end;
	     vma = vma_lookup(mm, addr)) {
		if ((prot & PROT_WRITE) && !(vma->vm_flags & VM_MAYWRITE))
			return -EACCES;
		addr = vma->vm_end;
	}
	if (addr < end)
		return -ENOMEM;

	for (addr = start; addr < end; addr = vma->vm_end) {
		unsigned long flags;

		vma = vma_lookup(mm, addr);
		flags = vma_new_flags(vma, prot);
		if (flags == vma->vm_flags)
			continue;
		vma = umm_vma_clip(mm, addr, end);
		if (!vma)
			return -ENOMEM;
		mprotect_vma(vma, flags);
		vma = umm_vma_merge(vma);
	}
	return 0;
}

/**
 * umm_mprotect - mprotect(2) of [@addr, @addr + @len)
 * Context: process context, takes mmap_lock for write.  Returns 0 or
 * -EINVAL, -ENOMEM (a hole in the range), -EACCES.
 */
int umm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 int prot)
{
	int ret;

	if (addr & ~PAGE_MASK || !len || addr + len > mm->task_size)
		return -EINVAL;
	mmap_write_lock(mm);
	ret = mprotect_locked(mm, addr, addr + PAGE_ALIGN(len), prot);
	mmap_write_unlock(mm);
	return ret;
}
