/* SPDX-License-Identifier: GPL-2.0 */
/* umm: the kernel's basic types, from the C library's fixed-width ones. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;

/* virtio's little-endian ring fields; the lab runs on little-endian x86. */
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;

typedef u64 phys_addr_t;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef unsigned int vm_fault_t;

/* sparse annotations: the lab compiles them away, as the kernel does. */
#define __user
#define __kernel
#define __iomem
#define __rcu
#define __force
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* _LINUX_TYPES_H */
