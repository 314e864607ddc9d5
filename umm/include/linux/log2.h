/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H

#include <linux/bits.h>

static inline int ilog2_ul(unsigned long v)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(v);
}

#define ilog2(v)		ilog2_ul(v)
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

#endif /* _LINUX_LOG2_H */
