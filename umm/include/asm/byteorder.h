/* SPDX-License-Identifier: GPL-2.0 */
/* umm: byte order conversions; the lab runs on little-endian x86-64. */
#ifndef _ASM_BYTEORDER_H
#define _ASM_BYTEORDER_H

#include <linux/types.h>

#define __LITTLE_ENDIAN	1234
#define __LITTLE_ENDIAN_BITFIELD	/* uapi headers' bitfields */

#define cpu_to_le16(x)	((__le16)(u16)(x))
#define cpu_to_le32(x)	((__le32)(u32)(x))
#define cpu_to_le64(x)	((__le64)(u64)(x))
#define le16_to_cpu(x)	((u16)(__le16)(x))
#define le32_to_cpu(x)	((u32)(__le32)(x))
#define le64_to_cpu(x)	((u64)(__le64)(x))

#endif /* _ASM_BYTEORDER_H */
