/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H

#include <linux/types.h>

#ifndef offsetof
#define offsetof(t, m)	__builtin_offsetof(t, m)
#endif
#define sizeof_field(t, m)	sizeof(((t *)0)->m)

#endif /* _LINUX_STDDEF_H */
