/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: KVM's historical answers to "is this pfn MMIO, i.e. not a page the
 * kernel refcounts?" (umm/pfn_class.c), lab-private.  The kernel never
 * exported these under these names; the umm_ prefix keeps them from
 * meeting a kernel symbol, and they live under umm/ rather than linux/
 * because no code built in both worlds may call them.  They exist so the
 * lab can show, over every kind of pfn it has, where the two versions
 * agree (shared/seeds/004, research A §4c):
 *
 * _simple: the 2013 RFC that became kvm_is_reserved_pfn(): a pfn without
 *	a struct page is MMIO; otherwise the page's own PG_reserved says.
 * _thp: the version before it: for a tail page of a compound page, the
 *	head's PG_reserved, read before re-checking (after a read barrier)
 *	that the page is still a tail, in case the THP was split meanwhile;
 *	otherwise the page's own PG_reserved.
 *
 * Both read the page's own PG_reserved bit, as the PageReserved() of
 * their time did.  The lab's PageReserved() reads the compound head's,
 * which would make the two versions identical by construction.
 */
#ifndef _UMM_KVM_PFN_H
#define _UMM_KVM_PFN_H

#include <linux/types.h>

bool umm_kvm_is_mmio_pfn_simple(unsigned long pfn);
bool umm_kvm_is_mmio_pfn_thp(unsigned long pfn);

#endif /* _UMM_KVM_PFN_H */
