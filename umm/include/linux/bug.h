/* SPDX-License-Identifier: GPL-2.0 */
/* umm: WARN/BUG report through the lab's checker (umm/report.h). */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <umm/report.h>

#define WARN(cond, fmt, ...)						\
({									\
	bool __w = !!(cond);						\
	if (unlikely(__w))						\
		umm_report(UMM_REPORT_WARN, __FILE__, __LINE__,		\
			   fmt, ##__VA_ARGS__);				\
	unlikely(__w);							\
})

#define WARN_ON(cond)		WARN(cond, "WARN_ON(%s)", #cond)
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN_ONCE(cond, ...)	WARN(cond, __VA_ARGS__)

#define BUG()								\
	umm_report(UMM_REPORT_BUG, __FILE__, __LINE__, "BUG()")
#define BUG_ON(cond)							\
do {									\
	if (unlikely(cond))						\
		umm_report(UMM_REPORT_BUG, __FILE__, __LINE__,		\
			   "BUG_ON(%s)", #cond);			\
} while (0)

#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond)	WARN_ON(cond)

#endif /* _LINUX_BUG_H */
