/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON: " #cond)
#ifndef static_assert
#define static_assert(...)	_Static_assert(__VA_ARGS__)
#endif

#endif /* _LINUX_BUILD_BUG_H */
