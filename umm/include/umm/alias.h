/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: kernel mappings of physical pages other than the direct map
 * (vmap, kmap, kmap_local slots, memremap), lab-private.  Each is a
 * mapping of the memfd at the pfn's offset, 4 KiB at a time if need be,
 * so it is a real alias of the direct map: a store through one is seen
 * through the other, and the TLB cost of 4 KiB pages is real.
 *
 * An area is reserved PROT_NONE first; pages are mapped into it with
 * MAP_FIXED, and an unmapped page goes back to PROT_NONE, so a stale
 * pointer faults instead of reaching whatever the host maps there next.
 */
#ifndef _UMM_ALIAS_H
#define _UMM_ALIAS_H

#include <linux/types.h>

void *umm_alias_reserve(unsigned long nr_pages);
int umm_alias_map(void *at, unsigned long pfn, unsigned long nr_pages,
		  bool writable);
void umm_alias_clear(void *at, unsigned long nr_pages);
void umm_alias_release(void *at, unsigned long nr_pages);

#endif /* _UMM_ALIAS_H */
