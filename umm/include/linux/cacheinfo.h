/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: cpu_dcache_is_aliasing() (Linux 6.9, <linux/cacheinfo.h>): whether
 * the data cache can hold one physical line at several virtual addresses.
 * In the lab it is true on every virtually indexed model (parisc, armv6,
 * mips-r4k, armv5) and false on x86; it changes when a test switches
 * models (umm_cache_set_arch()), so callers ask it each time they map.
 */
#ifndef _LINUX_CACHEINFO_H
#define _LINUX_CACHEINFO_H

#include <umm/cache.h>

static inline bool cpu_dcache_is_aliasing(void)
{
	return __atomic_load_n(&umm_cache_on, __ATOMIC_RELAXED);
}

#endif /* _LINUX_CACHEINFO_H */
