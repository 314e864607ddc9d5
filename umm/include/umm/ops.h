/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: lab internals of the operations in umm/populate.c (mlock,
 * MADV_POPULATE_*), umm/lazyfree.c (MADV_FREE) and umm/truncate.c
 * (MADV_REMOVE), for umm/madvise.c, umm/mremap.c and umm/reclaim.c.
 */
#ifndef _UMM_OPS_H
#define _UMM_OPS_H

#include <umm/mm.h>

/* mm_populate(): fault in [start, start + len) as mlock does; 0 or -errno. */
int umm_mm_populate(struct mm_struct *mm, unsigned long start,
		    unsigned long len);
int umm_madvise_populate(struct mm_struct *mm, unsigned long start,
			 unsigned long end, bool write);
int umm_madvise_free(struct mm_struct *mm, unsigned long start,
		     unsigned long end);
int umm_madvise_remove(struct mm_struct *mm, unsigned long start,
		       unsigned long end);

/* Is @page mapped in a VM_LOCKED VMA?  Caller holds the page lock. */
bool umm_page_mlocked(struct page *page);

#endif /* _UMM_OPS_H */
