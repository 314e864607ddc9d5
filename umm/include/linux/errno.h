/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: error numbers.  The C library's <errno.h> includes <linux/errno.h>
 * for the kernel's values and finds this file first, so this file must
 * provide them: from the uapi <asm/errno.h>, as the kernel's does.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm/errno.h>

#define ERESTARTSYS	512

#endif /* _LINUX_ERRNO_H */
