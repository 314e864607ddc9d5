/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: user access, x86-64 style.
 *
 * A user address @uaddr of the current task's mm is accessed at host
 * address umm_uaccess_base + @uaddr: the mm's mirror (umm/mirror.c), a
 * real mapping, so the access is one load or store through an already
 * resolved translation.  A fault enters the lab's fault handler; if that
 * cannot resolve it, the exception table sends the access to its fixup,
 * which makes it return -EFAULT, as in the kernel.
 *
 * What each primitive executes, against upstream x86-64 6.1-6.12
 * (shared/research/F_anchors_2026.md §1b), stac/clac aside:
 *   __get_user     out-of-line call, lfence, load (the fence is the one
 *                  of __get_user_nocheck_N in arch/x86/lib/getuser.S)
 *   __put_user     out-of-line call, store
 *   get_user       access_ok, then an inline load; no fence
 *   __copy_{from,to}_user  out-of-line rep movsb; copy_to_user also a
 *                  called object-size check (HARDENED_USERCOPY)
 *   masked_user_access_begin + unsafe_{get,put}_user  the address
 *                  clamped with cmp/cmov once, then plain inline accesses
 */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <umm/extable.h>

#define UMM_USER_PTR_MAX	((1UL << 34) - 1)	/* = UMM_TASK_SIZE - 1 */
#define TASK_SIZE_MAX		(UMM_USER_PTR_MAX + 1)

extern __thread unsigned long umm_uaccess_base;

static __always_inline unsigned long __umm_uhost(const volatile void __user *p)
{
	return umm_uaccess_base + (unsigned long)p;
}

/*
 * The cache-checking flavour (umm/cache.h) tells the model of every user
 * access that succeeded, at its host address in the mirror: the model
 * sees the user address and its colour.
 */
#if defined(UMM_CACHE_CHECK) && !defined(UMM_CACHE_INTERNAL)
void umm_cache_read(const volatile void *p, __SIZE_TYPE__ n,
		    const char *file, int line);
void umm_cache_write(const volatile void *p, __SIZE_TYPE__ n,
		     const char *file, int line);
#define __umm_useen(host, n, write)					\
	((write) ? umm_cache_write((const void *)(host), n, __FILE__, __LINE__) : \
		   umm_cache_read((const void *)(host), n, __FILE__, __LINE__))
#else
#define __umm_useen(host, n, write)	do { } while (0)
#endif

static __always_inline bool __access_ok(const void __user *ptr,
					unsigned long size)
{
	unsigned long a = (unsigned long)ptr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}
#define access_ok(ptr, size)	__access_ok(ptr, size)

/* Out-of-line primitives (umm/uaccess.c); value in rax, error in rdx. */
struct umm_uval {
	unsigned long val;
	long err;
};

struct umm_uval umm_get_user_nocheck_1(unsigned long host);
struct umm_uval umm_get_user_nocheck_2(unsigned long host);
struct umm_uval umm_get_user_nocheck_4(unsigned long host);
struct umm_uval umm_get_user_nocheck_8(unsigned long host);
struct umm_uval umm_get_user_nofence_2(unsigned long host);
long umm_put_user_nocheck_1(unsigned long val, unsigned long host);
long umm_put_user_nocheck_2(unsigned long val, unsigned long host);
long umm_put_user_nocheck_4(unsigned long val, unsigned long host);
long umm_put_user_nocheck_8(unsigned long val, unsigned long host);
unsigned long umm_copy_user_generic(void *to, const void *from,
				    unsigned long n);
void umm_check_object_size(const void *ptr, unsigned long n, bool to_user);

#define __umm_sized_call(pfx, size, ...)				\
	((size) == 1 ? pfx##1(__VA_ARGS__) :				\
	 (size) == 2 ? pfx##2(__VA_ARGS__) :				\
	 (size) == 4 ? pfx##4(__VA_ARGS__) : pfx##8(__VA_ARGS__))

#define __get_user(x, ptr)						\
({									\
	struct umm_uval __r = __umm_sized_call(umm_get_user_nocheck_,	\
				sizeof(*(ptr)), __umm_uhost(ptr));	\
	(x) = (__typeof__(*(ptr)))__r.val;				\
	if (!__r.err)							\
		__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 0);	\
	(int)__r.err;							\
})

#define __put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __v = (x);					\
	int __pe = __umm_sized_call(umm_put_user_nocheck_, sizeof(*(ptr)), \
			      (unsigned long)__v, __umm_uhost(ptr));	\
	if (!__pe)							\
		__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 1);	\
	__pe;								\
})

/*
 * An inline load or store that jumps to @label if it faults.  volatile:
 * gcc 12 deletes an asm goto whose outputs are unused otherwise.
 */
#define __umm_get_goto(x, hostp, label)					\
	asm volatile goto("1: mov %[m], %[v]\n" UMM_EXTABLE(1b, %l[label])	\
		 : [v] "=r" (x) : [m] "m" (*(hostp)) : : label)

#define __umm_put_goto(x, hostp, label)					\
	asm volatile goto("1: mov %[v], %[m]\n" UMM_EXTABLE(1b, %l[label])	\
		 : : [m] "m" (*(hostp)), [v] "r" (x) : "memory" : label)

#define __umm_host_ptr(ptr)						\
	((__typeof__(*(ptr)) *)__umm_uhost(ptr))

/* The type of @x without qualifiers: a cast's type is unqualified. */
#define __umm_unqual(x)	__typeof__((__typeof__(x))0)

#define get_user(x, ptr)						\
({									\
	__label__ __gfault;						\
	__umm_unqual(*(ptr)) __gv;					\
	int __ge = -EFAULT;						\
	if (access_ok(ptr, sizeof(*(ptr)))) {				\
		__umm_get_goto(__gv, __umm_host_ptr(ptr), __gfault);	\
		__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 0);	\
		__ge = 0;						\
	}								\
	if (0) {							\
__gfault:								\
		__gv = 0;						\
	}								\
	(x) = __ge ? 0 : __gv;						\
	__ge;								\
})

#define put_user(x, ptr)						\
({									\
	__label__ __pfault;						\
	__typeof__(*(ptr)) __pv = (x);					\
	int __pe = -EFAULT;						\
	if (access_ok(ptr, sizeof(*(ptr)))) {				\
		__umm_put_goto(__pv, __umm_host_ptr(ptr), __pfault);	\
		__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 1);	\
		__pe = 0;						\
	}								\
__pfault:								\
	__pe;								\
})

/*
 * Masked user access (6.12's masked_user_access_begin): an address above
 * the user range is replaced by the top of it, with cmp/cmov and no
 * branch, so a bad pointer faults instead of reaching kernel memory.
 */
static __always_inline const void __user *
__umm_mask_user_address(const void __user *ptr)
{
	unsigned long a = (unsigned long)ptr, max = UMM_USER_PTR_MAX;

	asm("cmp %1, %0\n\tcmova %1, %0" : "+r" (a) : "r" (max) : "cc");
	return (const void __user *)a;
}

#define masked_user_access_begin(ptr)					\
	((__typeof__(ptr))__umm_mask_user_address(ptr))
#define user_access_end()	barrier()
#define user_read_access_end()	barrier()
#define user_write_access_end()	barrier()

#define unsafe_get_user(x, ptr, label)					\
do {									\
	__umm_get_goto(x, __umm_host_ptr(ptr), label);			\
	__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 0);		\
} while (0)
#define unsafe_put_user(x, ptr, label)					\
do {									\
	__typeof__(*(ptr)) __uv = (x);					\
	__umm_put_goto(__uv, __umm_host_ptr(ptr), label);		\
	__umm_useen(__umm_uhost(ptr), sizeof(*(ptr)), 1);		\
} while (0)

static __always_inline unsigned long
__copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left;

	left = umm_copy_user_generic(to, (const void *)__umm_uhost(from), n);
	__umm_useen(__umm_uhost(from), n - left, 0);
	__umm_useen(to, n - left, 1);
	return left;
}

static __always_inline unsigned long
__copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long left;

	umm_check_object_size(from, n, true);
	left = umm_copy_user_generic((void *)__umm_uhost(to), from, n);
	__umm_useen(from, n - left, 0);
	__umm_useen(__umm_uhost(to), n - left, 1);
	return left;
}

unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n);

#endif /* _LINUX_UACCESS_H */
