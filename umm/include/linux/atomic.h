/* SPDX-License-Identifier: GPL-2.0 */
/* umm: atomic_t and atomic_long_t over the compiler's __atomic builtins. */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <asm/barrier.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }

#define __umm_atomic_ops(T, pfx)					\
static inline T pfx##_read(const pfx##_t *v)				\
{									\
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_set(pfx##_t *v, T i)				\
{									\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline T pfx##_add_return(T i, pfx##_t *v)			\
{									\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline T pfx##_sub_return(T i, pfx##_t *v)			\
{									\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline void pfx##_add(T i, pfx##_t *v)				\
{									\
	__atomic_add_fetch(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_sub(T i, pfx##_t *v)				\
{									\
	__atomic_sub_fetch(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_inc(pfx##_t *v)	{ pfx##_add(1, v); }	\
static inline void pfx##_dec(pfx##_t *v)	{ pfx##_sub(1, v); }	\
static inline T pfx##_inc_return(pfx##_t *v)				\
{									\
	return pfx##_add_return(1, v);					\
}									\
static inline T pfx##_dec_return(pfx##_t *v)				\
{									\
	return pfx##_sub_return(1, v);					\
}									\
static inline bool pfx##_dec_and_test(pfx##_t *v)			\
{									\
	return pfx##_sub_return(1, v) == 0;				\
}									\
static inline T pfx##_cmpxchg(pfx##_t *v, T old, T new)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);\
	return old;							\
}									\
static inline bool pfx##_try_cmpxchg(pfx##_t *v, T *old, T new)		\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new,	\
					   false, __ATOMIC_SEQ_CST,	\
					   __ATOMIC_RELAXED);		\
}									\
static inline T pfx##_xchg(pfx##_t *v, T new)				\
{									\
	return __atomic_exchange_n(&v->counter, new, __ATOMIC_SEQ_CST);	\
}									\
/* Add @a unless the value is @u; returns true if it added. */		\
static inline bool pfx##_add_unless(pfx##_t *v, T a, T u)		\
{									\
	T c = pfx##_read(v);						\
									\
	do {								\
		if (c == u)						\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c, c + a));			\
	return true;							\
}									\
static inline bool pfx##_inc_not_zero(pfx##_t *v)			\
{									\
	return pfx##_add_unless(v, 1, 0);				\
}

__umm_atomic_ops(int, atomic)
__umm_atomic_ops(long, atomic_long)

#define xchg(p, v)	__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n)						\
({									\
	__typeof__(*(p)) __o = (o);					\
	__atomic_compare_exchange_n(p, &__o, n, false,			\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);\
	__o;								\
})

#endif /* _LINUX_ATOMIC_H */
