/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the pieces umm_boot() assembles, lab-private.  physmem.c plans the
 * pfn space and the struct pages, direct_map.c makes the memory behind
 * them, page_alloc.c and page_poison.c take the RAM over.
 */
#ifndef _UMM_PHYSMEM_H
#define _UMM_PHYSMEM_H

#include <linux/mm_types.h>

/* direct_map.c */
int umm_direct_map_init(unsigned long nr_pages, bool no_thp);
int umm_direct_map_protect(unsigned long pfn, unsigned long nr, int prot);
bool umm_in_direct_map(const void *addr);

/* page_alloc.c: hand every RAM range of umm_phys_layout() to the buddy */
int umm_page_alloc_init(void);

/* page_poison.c */
#define UMM_PAGE_POISON	0x6b	/* the fill of a free page */

int umm_page_poison_init(unsigned long max_pfn);
void umm_page_poison(unsigned long pfn, unsigned long nr);
void umm_page_poison_check(unsigned long pfn, unsigned long nr);

#endif /* _UMM_PHYSMEM_H */
