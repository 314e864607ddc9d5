/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: reclaim and migration of single pages, as the kernel's
 * shrink_folio_list()/pageout and migrate_pages() do them: unmap the page
 * from every mapping through the rmap (announcing CLEAR over each
 * mapping's page, G rules 11 and 12), then write it back or move it.
 */
#ifndef _UMM_RECLAIM_H
#define _UMM_RECLAIM_H

#include <umm/mm.h>

/* The page mapped at @addr of @mm, with a reference; NULL if none. */
struct page *umm_page_at(struct mm_struct *mm, unsigned long addr);
struct page *umm_page_at_locked(struct mm_struct *mm, unsigned long addr);

/*
 * Reclaim @page (the caller holds a reference): unmap it, write it to
 * the store if dirty, drop it; a clean lazyfree page (MADV_FREE) is
 * dropped unwritten, a redirtied one stays; a page of a THP reclaims the
 * whole THP.  0, or -EBUSY if pinned or mlocked, -EINVAL if not
 * reclaimable (reserved, hugetlb), -EAGAIN if remapped meanwhile, a
 * lazyfree page was redirtied, or a THP is referenced elsewhere.
 */
int umm_reclaim_page(struct page *page);

/*
 * Move @page (the caller holds a reference) to a newly allocated page;
 * a page of a THP moves the whole THP to a new THP.
 * 0, or -EBUSY if pinned or referenced by someone else, -EINVAL if not
 * movable, -ENOMEM.
 */
int umm_migrate_page(struct page *page);

/* The same, for the page mapped at @addr of @mm. */
int umm_reclaim_addr(struct mm_struct *mm, unsigned long addr);
int umm_migrate_addr(struct mm_struct *mm, unsigned long addr);

#endif /* _UMM_RECLAIM_H */
