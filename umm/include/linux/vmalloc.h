/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: vmap (umm/vmalloc.c).  vmap() is a real mapping: the pages' memfd
 * offsets mapped 4 KiB at a time into one contiguous range of host address
 * space, followed by an unmapped guard page as in Linux.  So a vmap alias
 * of a page sees what the direct map sees, with 4 KiB TLB entries.
 * vmalloc() itself is not modelled.
 */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/mm_types.h>
#include <asm/pgtable_types.h>

#define VM_IOREMAP	0x00000001UL
#define VM_ALLOC	0x00000002UL
#define VM_MAP		0x00000004UL

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot);
void vunmap(const void *addr);
struct page *vmalloc_to_page(const void *addr);
bool is_vmalloc_addr(const void *addr);

#endif /* _LINUX_VMALLOC_H */
