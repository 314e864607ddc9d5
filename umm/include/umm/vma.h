/* SPDX-License-Identifier: GPL-2.0 */
/* umm: VMA bookkeeping shared by the mm files. */
#ifndef _UMM_VMA_H
#define _UMM_VMA_H

#include <umm/mm.h>

struct vm_area_struct *umm_vma_split(struct vm_area_struct *vma,
				     unsigned long addr);
struct vm_area_struct *umm_copy_vma(struct vm_area_struct *vma,
				    unsigned long addr, unsigned long new_addr,
				    unsigned long new_len);
unsigned long umm_get_unmapped_area(struct mm_struct *mm, unsigned long len);
struct vm_area_struct *umm_vma_clip(struct mm_struct *mm, unsigned long addr,
				    unsigned long end);
struct vm_area_struct *umm_vma_merge(struct vm_area_struct *vma);
void umm_unmap_all_vmas(struct mm_struct *mm);
int umm_do_munmap(struct mm_struct *mm, unsigned long start,
		  unsigned long len);

#define for_each_vma_in(mm, vma)	\
	list_for_each_entry(vma, &(mm)->vmas, vm_list)

#endif /* _UMM_VMA_H */
