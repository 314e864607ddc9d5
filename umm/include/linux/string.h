/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the C library's string functions.  In the cache-checking flavour
 * (umm/cache.h) memcpy, memmove and memset of code that includes this
 * header are also told to the cache model: kernel-side copies through
 * the direct map, a kmap or a vmap are accesses like any other.
 */
#ifndef _LINUX_STRING_H
#define _LINUX_STRING_H

#include <string.h>

#if defined(UMM_CACHE_CHECK) && !defined(UMM_CACHE_INTERNAL)
void *umm_cache_memcpy(void *to, const void *from, size_t n,
		       const char *file, int line);
void *umm_cache_memmove(void *to, const void *from, size_t n,
			const char *file, int line);
void *umm_cache_memset(void *p, int c, size_t n, const char *file,
		       int line);

#define memcpy(to, from, n)	umm_cache_memcpy(to, from, n, __FILE__, __LINE__)
#define memmove(to, from, n)	umm_cache_memmove(to, from, n, __FILE__, __LINE__)
#define memset(p, c, n)		umm_cache_memset(p, c, n, __FILE__, __LINE__)
#endif

#endif /* _LINUX_STRING_H */
