/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

#include <linux/sched.h>

#define preempt_disable()	do { current->preempt_count++; barrier(); } while (0)
#define preempt_enable()	do { barrier(); current->preempt_count--; } while (0)
#define preempt_count()		(current->preempt_count)
#define in_atomic()		(current->preempt_count != 0)

/* No interrupts in the lab: disabling them is entering atomic context. */
#define local_irq_disable()	preempt_disable()
#define local_irq_enable()	preempt_enable()
#define local_irq_save(f)	do { (f) = 0; preempt_disable(); } while (0)
#define local_irq_restore(f)	do { (void)(f); preempt_enable(); } while (0)

#endif /* _LINUX_PREEMPT_H */
