/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: reverse mapping.  An anonymous page points to the anon_vma of the
 * VMA that first wrote it (PageAnon, page->mapping) with page->index its
 * linear index in that VMA; a file page to its umm_file with the file
 * index.  _mapcount counts the page-table entries that map the page.
 *
 * A compound page has its state on its head page (PageAnon, mapping,
 * index, the reference count) and its map counts on page 1, which
 * Linux 6.1 also uses: _entire_mapcount counts the PMDs that map the
 * whole of it (the PMD of a THP, of a hugetlb page), _nr_pte_mapped the
 * PTEs that map any of its pages; each page's own _mapcount counts the
 * PTEs that map that page.  Every PMD and every PTE holds one reference
 * on the head.  So page_mapcount() of a page of a THP is its PTEs plus
 * the PMDs, and page_mapped() of any of its pages asks whether the THP
 * is still mapped anywhere.
 */
#ifndef _UMM_RMAP_H
#define _UMM_RMAP_H

#include <umm/mm.h>

int umm_anon_vma_prepare(struct vm_area_struct *vma);
void umm_anon_vma_unlink(struct vm_area_struct *vma);
void umm_anon_vma_put(struct anon_vma *av);
void umm_page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr);
void umm_page_add_anon_rmap_pmd(struct page *head, struct vm_area_struct *vma,
				unsigned long haddr);
void umm_page_add_file_rmap(struct page *page);
void umm_page_remove_rmap(struct page *page);
void umm_page_remove_rmap_pmd(struct page *head);
void umm_page_rmap_pmd_to_ptes(struct page *head);

/*
 * umm_rmap_walk - call @fn for each VMA and address that may map @page
 * (an order-0 page, or the head of a compound page: @addr is then the
 * address of its first page inside the VMA), until it returns false.
 * The caller holds the page lock and a reference; @fn is called with the
 * anon_vma's or the file's rmap lock held for read, mmap_lock not held.
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
