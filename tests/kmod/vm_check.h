/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the in-VM checks (vhost_check, mm_check) share: their "ok - ..." /
 * "not ok - ..." lines, read by scripts/kcheck-init.sh, an ioctl's
 * -errno, waiting for an eventfd, and configuring a queue.  Each program is one file built
 * statically by scripts/kcheck.sh, with this header beside it.
 */
#ifndef VM_CHECK_H
#define VM_CHECK_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>

static int failed;		/* the exit status: 1 if a check failed */

static inline void check(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failed = 1;
	fflush(stdout);
}

/* A check that cannot run here, and why: TAP's SKIP, never a pass. */
static inline void skip(const char *what, const char *why)
{
	printf("ok - %s # SKIP %s\n", what, why);
	fflush(stdout);
}

/* The ioctl's -errno, or 0. */
static inline int io(int fd, unsigned long cmd, const void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Did @efd fire within @ms?  Reads it back to zero. */
static inline int fired(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(efd, &v, sizeof(v)) == sizeof(v);
}

/*
 * Configure queue 0 of the owned device @fd: event index, one memory
 * region (the 4 KiB at @buf, guest address = user address), @vr's rings
 * of vr->num entries from index 0, the @kick and @call eventfds.  The
 * first failing ioctl's -errno, or 0.
 */
static inline int vq_configure(int fd, const struct vring *vr,
			       const void *buf, int kick, int call)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} mem;
	uint64_t features = 1ULL << VIRTIO_RING_F_EVENT_IDX;
	struct vhost_vring_state s = { .num = vr->num };
	struct vhost_vring_file f = { 0 };
	struct vhost_vring_addr a = { 0 };
	int r;

	memset(&mem, 0, sizeof(mem));
	mem.m.nregions = 1;
	mem.r.guest_phys_addr = (uintptr_t)buf;
	mem.r.userspace_addr = (uintptr_t)buf;
	mem.r.memory_size = 4096;
	a.desc_user_addr = (uintptr_t)vr->desc;
	a.avail_user_addr = (uintptr_t)vr->avail;
	a.used_user_addr = (uintptr_t)vr->used;
	r = io(fd, VHOST_SET_FEATURES, &features);
	r = r ?: io(fd, VHOST_SET_MEM_TABLE, &mem);
	r = r ?: io(fd, VHOST_SET_VRING_NUM, &s);
	s.num = 0;
	r = r ?: io(fd, VHOST_SET_VRING_BASE, &s);
	r = r ?: io(fd, VHOST_SET_VRING_ADDR, &a);
	f.fd = kick;
	r = r ?: io(fd, VHOST_SET_VRING_KICK, &f);
	f.fd = call;
	r = r ?: io(fd, VHOST_SET_VRING_CALL, &f);
	return r;
}

#endif /* VM_CHECK_H */
