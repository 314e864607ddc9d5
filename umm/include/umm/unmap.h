/* SPDX-License-Identifier: GPL-2.0 */
/* umm: unmapping a page everywhere (umm/unmap.c). */
#ifndef _UMM_UNMAP_H
#define _UMM_UNMAP_H

#include <umm/mm.h>

struct umm_unmap {
	bool migrate;		/* leave migration entries */
	bool lazyfree;		/* else discard a clean MADV_FREE page */
	unsigned long slot;	/* else leave swap entries for this slot */
};

void umm_try_to_unmap(struct page *page, struct umm_unmap *u);
void umm_remove_migration_ptes(struct page *old, struct page *new);

#endif /* _UMM_UNMAP_H */
