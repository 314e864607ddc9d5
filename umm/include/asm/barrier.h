/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: x86-64 memory barriers, with the kernel's meaning.  Plain loads and
 * stores on x86 are ordered except store->load, so the smp_rmb()/smp_wmb()
 * pair is a compiler barrier and smp_mb() a locked instruction, as in
 * arch/x86.  The C11 forms keep ThreadSanitizer informed.
 */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H

#include <linux/compiler.h>

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()		smp_mb()
#define rmb()		smp_rmb()
#define wmb()		smp_wmb()
#define virt_mb()	smp_mb()
#define virt_rmb()	smp_rmb()
#define virt_wmb()	smp_wmb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()

#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)

/* The speculation barrier the kernel's __get_user() executes. */
#define barrier_nospec()	__asm__ __volatile__("lfence" : : : "memory")

#define cpu_relax()		__asm__ __volatile__("pause" : : : "memory")

#endif /* _ASM_BARRIER_H */
