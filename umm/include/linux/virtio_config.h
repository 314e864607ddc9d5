/* SPDX-License-Identifier: GPL-2.0 */
/* umm: the virtio feature bits core/ uses (virtio 1.x spec, §6). */
#ifndef _LINUX_VIRTIO_CONFIG_H
#define _LINUX_VIRTIO_CONFIG_H

#define VIRTIO_F_NOTIFY_ON_EMPTY	24
#define VIRTIO_F_ANY_LAYOUT		27
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34
#define VIRTIO_F_IN_ORDER		35

#endif /* _LINUX_VIRTIO_CONFIG_H */
