/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: reverse mapping.  An anonymous page points to the anon_vma of the
 * VMA that first wrote it (PageAnon, page->mapping) with page->index its
 * linear index in that VMA; a file page to its umm_file with the file
 * index.  _mapcount counts the page-table entries that map the page.
 */
#ifndef _UMM_RMAP_H
#define _UMM_RMAP_H

#include <umm/mm.h>

int umm_anon_vma_prepare(struct vm_area_struct *vma);
void umm_anon_vma_unlink(struct vm_area_struct *vma);
void umm_anon_vma_put(struct anon_vma *av);
void umm_page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr);
void umm_page_add_file_rmap(struct page *page);
void umm_page_remove_rmap(struct page *page);

/*
 * umm_rmap_walk - call @fn for each VMA and address that may map @page
 * (an order-0 page), until it returns false.  The caller holds the page
 * lock and a reference; @fn is called with the anon_vma's or the file's
 * rmap lock held for read, mmap_lock not held.
 */
typedef bool (*umm_rmap_fn)(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr, void *arg);
void umm_rmap_walk(struct page *page, umm_rmap_fn fn, void *arg);

static inline pgoff_t umm_linear_index(const struct vm_area_struct *vma,
				       unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

#endif /* _UMM_RMAP_H */
