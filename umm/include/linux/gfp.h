/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>

#define __GFP_HIGHMEM		0x02u
#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_COMP		0x4000u
#define __GFP_ATOMIC		0x8000u

#define GFP_ATOMIC		(__GFP_ATOMIC)
#define GFP_NOWAIT		0u
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM)
#define GFP_KERNEL_ACCOUNT	GFP_KERNEL
#define GFP_HIGHUSER		(GFP_KERNEL | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	GFP_HIGHUSER
#define GFP_TRANSHUGE		(GFP_HIGHUSER | __GFP_COMP)

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

#endif /* _LINUX_GFP_H */
