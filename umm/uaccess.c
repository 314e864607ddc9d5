// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the out-of-line user-access primitives (see linux/uaccess.h).
 * Each faulting instruction has an exception-table entry whose fixup
 * returns -EFAULT (or the bytes left, for copies).
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#define FENCE	"lfence\n"

#define DEFINE_GET_USER(name, fence, load, reg)				\
noinline struct umm_uval name(unsigned long host)			\
{									\
	struct umm_uval r = { 0, 0 };					\
									\
	asm volatile(fence						\
		     "1: " load " (%[a]), %" reg "[v]\n"		\
		     "2:\n"						\
		     ".pushsection .text.umm_fixup, \"ax\"\n"		\
		     "3: mov $-14, %[e]\n"				\
		     "   xor %k[v], %k[v]\n"				\
		     "   jmp 2b\n"					\
		     ".popsection\n"					\
		     UMM_EXTABLE(1b, 3b)				\
		     : [v] "+r" (r.val), [e] "+r" (r.err)		\
		     : [a] "r" (host) : "memory");			\
	return r;							\
}

DEFINE_GET_USER(umm_get_user_nocheck_1, FENCE, "movzbq", "q")
DEFINE_GET_USER(umm_get_user_nocheck_2, FENCE, "movzwq", "q")
DEFINE_GET_USER(umm_get_user_nocheck_4, FENCE, "movl", "k")
DEFINE_GET_USER(umm_get_user_nocheck_8, FENCE, "movq", "q")
/* __get_user without its fence: to measure the fence alone. */
DEFINE_GET_USER(umm_get_user_nofence_2, "", "movzwq", "q")

#define DEFINE_PUT_USER(name, store, reg)				\
noinline long name(unsigned long val, unsigned long host)		\
{									\
	long err = 0;							\
									\
	asm volatile("1: " store " %" reg "[v], (%[a])\n"		\
		     "2:\n"						\
		     ".pushsection .text.umm_fixup, \"ax\"\n"		\
		     "3: mov $-14, %[e]\n"				\
		     "   jmp 2b\n"					\
		     ".popsection\n"					\
		     UMM_EXTABLE(1b, 3b)				\
		     : [e] "+r" (err)					\
		     : [a] "r" (host), [v] "r" (val) : "memory");	\
	return err;							\
}

DEFINE_PUT_USER(umm_put_user_nocheck_1, "movb", "b")
DEFINE_PUT_USER(umm_put_user_nocheck_2, "movw", "w")
DEFINE_PUT_USER(umm_put_user_nocheck_4, "movl", "k")
DEFINE_PUT_USER(umm_put_user_nocheck_8, "movq", "q")

/**
 * umm_copy_user_generic - rep movsb between a kernel buffer and a mirror
 * Returns the number of bytes not copied (0 on success), as the kernel's
 * copy_user_generic() does.
 */
noinline unsigned long umm_copy_user_generic(void *to, const void *from,
					     unsigned long n)
{
	asm volatile("1: rep movsb\n"
		     "2:\n"
		     UMM_EXTABLE(1b, 2b)
		     : "+c" (n), "+D" (to), "+S" (from) : : "memory");
	return n;
}

/*
 * HARDENED_USERCOPY's check of the kernel object, reduced to what the
 * lab can know: the buffer neither is NULL nor wraps.  Out of line, as
 * __check_object_size() is, so that its call is paid.
 */
noinline void umm_check_object_size(const void *ptr, unsigned long n,
				    bool to_user)
{
	unsigned long a = (unsigned long)ptr;

	if (unlikely(!n))
		return;
	WARN(!a || a + n < a, "usercopy: bad kernel object %p+%lu (%s)",
	     ptr, n, to_user ? "to user" : "from user");
}

/**
 * copy_from_user - copy @n bytes from user address @from
 * Context: user context of current->mm; may fault and sleep.  Returns
 * the bytes not copied; those are zeroed in @to.
 */
unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n)
{
	unsigned long left = n;

	might_fault();
	if (access_ok(from, n))
		left = __copy_from_user(to, from, n);
	if (left)
		memset((char *)to + n - left, 0, left);
	return left;
}

/**
 * copy_to_user - copy @n bytes to user address @to
 * Context: user context of current->mm; may fault and sleep.  Returns
 * the bytes not copied.
 */
unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n)
{
	might_fault();
	if (!access_ok(to, n))
		return n;
	return __copy_to_user(to, from, n);
}
