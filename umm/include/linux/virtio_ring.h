/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: the split virtqueue layout of the virtio 1.x specification
 * (§2.7): a descriptor table of 16-byte entries, the driver's avail ring
 * and the device's used ring, all little-endian.  With EVENT_IDX the
 * avail ring ends with used_event and the used ring with avail_event.
 */
#ifndef _LINUX_VIRTIO_RING_H
#define _LINUX_VIRTIO_RING_H

#include <linux/types.h>

#define VRING_DESC_F_NEXT	1	/* chained through @next */
#define VRING_DESC_F_WRITE	2	/* device writes the buffer */
#define VRING_DESC_F_INDIRECT	4	/* the buffer is a descriptor table */

#define VRING_USED_F_NO_NOTIFY		1	/* device: do not kick me */
#define VRING_AVAIL_F_NO_INTERRUPT	1	/* driver: do not interrupt me */

#define VIRTIO_RING_F_INDIRECT_DESC	28
#define VIRTIO_RING_F_EVENT_IDX		29

struct vring_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct vring_avail {
	__le16 flags;
	__le16 idx;
	__le16 ring[];
};

struct vring_used_elem {
	__le32 id;
	__le32 len;
};

struct vring_used {
	__le16 flags;
	__le16 idx;
	struct vring_used_elem ring[];
};

/*
 * Should the other side be told, when its event index is @event_idx and
 * this side moved its index from @old to @new?  True if @event_idx lies
 * in [old, new), in 16-bit arithmetic.
 */
static inline bool vring_need_event(u16 event_idx, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old);
}

#endif /* _LINUX_VIRTIO_RING_H */
