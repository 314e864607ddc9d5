/* SPDX-License-Identifier: GPL-2.0 */
/* umm: compiler attributes and the ONCE accessors. */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/types.h>
#include <sys/cdefs.h>	/* defines __always_inline first */

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __cold			__attribute__((__cold__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define fallthrough		__attribute__((__fallthrough__))
#define __section(s)		__attribute__((__section__(s)))

/*
 * READ_ONCE()/WRITE_ONCE() as a volatile access of the object's own size:
 * one load or store, not torn, not fused, not re-read.  Objects of 1, 2, 4
 * and 8 bytes only, as in the kernel.
 */
#define __scalar_size_ok(x)						\
	_Static_assert(sizeof(x) == 1 || sizeof(x) == 2 ||		\
		       sizeof(x) == 4 || sizeof(x) == 8,		\
		       "READ_ONCE/WRITE_ONCE of a non-scalar")

#if defined(__SANITIZE_THREAD__)
/*
 * ThreadSanitizer treats volatile accesses as plain ones; relaxed atomics
 * compile to the same single load or store and tell it these are marked
 * accesses, as KCSAN treats READ_ONCE/WRITE_ONCE in the kernel.
 */
#define __READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define __WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#else
#define __READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define __WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
#endif

#if defined(UMM_CACHE_CHECK) && !defined(UMM_CACHE_INTERNAL)
/*
 * The cache-checking flavour (umm/cache.h): every ONCE access is also
 * told to the cache model, after it happened (it may have faulted).
 */
void umm_cache_read(const volatile void *p, __SIZE_TYPE__ n,
		    const char *file, int line);
void umm_cache_write(const volatile void *p, __SIZE_TYPE__ n,
		     const char *file, int line);

#define READ_ONCE(x)							\
({									\
	__scalar_size_ok(x);						\
	__typeof__(&(x)) __rp = &(x);					\
	__typeof__(x) __rv = __READ_ONCE(*__rp);			\
	umm_cache_read(__rp, sizeof(*__rp), __FILE__, __LINE__);	\
	__rv;								\
})

#define WRITE_ONCE(x, val)						\
do {									\
	__scalar_size_ok(x);						\
	__typeof__(&(x)) __wp = &(x);					\
	__WRITE_ONCE(*__wp, val);					\
	umm_cache_write(__wp, sizeof(*__wp), __FILE__, __LINE__);	\
} while (0)
#else
#define READ_ONCE(x)							\
({									\
	__scalar_size_ok(x);						\
	__READ_ONCE(x);							\
})

#define WRITE_ONCE(x, val)						\
do {									\
	__scalar_size_ok(x);						\
	__WRITE_ONCE(x, val);						\
} while (0)
#endif

#define data_race(expr)		(expr)

#endif /* _LINUX_COMPILER_H */
