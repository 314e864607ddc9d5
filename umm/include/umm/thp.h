/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: transparent huge pages of private anonymous memory, as Linux
 * does them with transparent_hugepage=madvise: faults, splitting a PMD,
 * fork (umm/huge_memory.c); reclaim and migration of a whole THP
 * (umm/thp_unmap.c); collapse (umm/khugepaged.c).  What each announces
 * to MMU notifiers is G's anon-thp column; Documentation/umm.md says
 * what is modelled and what is simplified.
 */
#ifndef _UMM_THP_H
#define _UMM_THP_H

#include <umm/mm.h>

/* umm_huge_pmd_fault(): not handled here, go on at the PTE level. */
#define UMM_THP_FALLBACK	1

struct page *umm_huge_zero_page(void);
bool is_huge_zero_page(const struct page *page);

static inline bool is_huge_zero_pmd(pmd_t pmd)
{
	/* The only special huge PMD of an anonymous VMA. */
	return pmd_present(pmd) && pmd_trans_huge(pmd) && pmd_special(pmd);
}

/* An anonymous THP: a 2 MiB compound page of anonymous memory. */
static inline bool umm_page_is_thp(const struct page *page)
{
	return PageAnon(page) && PageTransHuge(compound_head(page));
}

bool umm_vma_thp_capable(const struct vm_area_struct *vma);
bool umm_thp_vma_suitable(const struct vm_area_struct *vma,
			  unsigned long addr);
int umm_huge_pmd_fault(struct vm_area_struct *vma, unsigned long addr,
		       bool write);

void umm_split_huge_pmd(struct vm_area_struct *vma, unsigned long address,
			struct page *folio);
void umm_split_huge_pmd_locked(struct vm_area_struct *vma,
			       unsigned long haddr, pmd_t *pmdp);
void umm_split_huge_pmd_edges(struct vm_area_struct *vma,
			      unsigned long start, unsigned long end);
void umm_copy_huge_pmd(struct vm_area_struct *dst, struct vm_area_struct *src,
		       unsigned long addr, pmd_t *src_pmdp);

int umm_reclaim_thp(struct page *head);
int umm_migrate_thp(struct page *head);

int umm_madvise_collapse(struct mm_struct *mm, unsigned long start,
			 unsigned long end);
int umm_khugepaged_scan(struct mm_struct *mm);

#endif /* _UMM_THP_H */
