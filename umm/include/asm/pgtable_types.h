/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the kernel's page protections, x86-64 bit values (present, rw,
 * accessed, dirty; the lab has no global or NX bit to set).  Only vmap()
 * looks at them: whether the mapping is writable.
 */
#ifndef _ASM_PGTABLE_TYPES_H
#define _ASM_PGTABLE_TYPES_H

#include <linux/mm_types.h>

#ifndef __pgprot
#define __pgprot(x)	((pgprot_t){ (x) })
#endif
#ifndef pgprot_val
#define pgprot_val(p)	((p).pgprot)
#endif

#define PAGE_KERNEL	__pgprot(0x063UL)	/* present, rw, a, d */
#define PAGE_KERNEL_RO	__pgprot(0x061UL)	/* present, a, d */
#define UMM_PGPROT_RW	0x002UL

#endif /* _ASM_PGTABLE_TYPES_H */
