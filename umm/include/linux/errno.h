/* SPDX-License-Identifier: GPL-2.0 */
/* umm: the C library's errno values are the kernel's on Linux. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <errno.h>

#define ERESTARTSYS	512

#endif /* _LINUX_ERRNO_H */
