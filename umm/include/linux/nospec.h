/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: array_index_nospec(), with the x86 construction: a mask made by
 * compare and subtract-with-borrow, so that the clamped index does not
 * depend on a predicted branch.
 */
#ifndef _LINUX_NOSPEC_H
#define _LINUX_NOSPEC_H

#include <linux/compiler.h>

/* ~0UL when @index < @size, 0 otherwise, without a branch. */
static __always_inline unsigned long
array_index_mask_nospec(unsigned long index, unsigned long size)
{
	unsigned long mask;

	__asm__ ("cmp %1,%2; sbb %0,%0;"
		 : "=r" (mask) : "g" (size), "r" (index) : "cc");
	return mask;
}

#define array_index_nospec(index, size)					\
({									\
	__typeof__(index) _i = (index);					\
	__typeof__(size) _s = (size);					\
	unsigned long _mask = array_index_mask_nospec(_i, _s);		\
	(__typeof__(_i))(_i & _mask);					\
})

#endif /* _LINUX_NOSPEC_H */
