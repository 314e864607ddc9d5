// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_check: what virtio_test does not exercise in /dev/vhost-test,
 * run inside the kcheck guest (scripts/kcheck-init.sh): owner rules, a
 * malformed ring stopping the queue and signalling the error eventfd,
 * recovery through VHOST_TEST_SET_BACKEND, RESET_OWNER, and teardown when
 * the owner exits while its queue runs, or while a child holds the fd.
 * Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include "vm_check.h"

#define TEST_RUN		_IOW(VHOST_VIRTIO, 0x31, int)
#define TEST_SET_BACKEND	_IOW(VHOST_VIRTIO, 0x32, int)
#define NUM			8

struct queue {
	int fd, kick, call, err;
	struct vring vr;
	void *ring;
	char *buf;
};

static int setup(struct queue *q, int fd)
{
	struct vhost_vring_file f = { 0 };
	int r;

	memset(q, 0, sizeof(*q));
	q->fd = fd;
	q->kick = eventfd(0, EFD_NONBLOCK);
	q->call = eventfd(0, EFD_NONBLOCK);
	q->err = eventfd(0, EFD_NONBLOCK);
	if (posix_memalign(&q->ring, 4096, vring_size(NUM, 4096)) ||
	    posix_memalign((void **)&q->buf, 4096, 4096))
		return -ENOMEM;
	memset(q->ring, 0, vring_size(NUM, 4096));
	vring_init(&q->vr, NUM, q->ring, 4096);
	r = vq_configure(fd, &q->vr, q->buf, q->kick, q->call);
	f.fd = q->err;
	r = r ?: io(fd, VHOST_SET_VRING_ERR, &f);
	return r;
}

/* Make @head available (a 64-byte buffer) and kick. */
static void post(struct queue *q, uint16_t head)
{
	uint16_t idx = q->vr.avail->idx;
	uint64_t one = 1;

	q->vr.desc[head % NUM].addr = (uintptr_t)q->buf;
	q->vr.desc[head % NUM].len = 64;
	q->vr.desc[head % NUM].flags = 0;
	q->vr.avail->ring[idx % NUM] = head;
	__atomic_store_n(&q->vr.avail->idx, idx + 1, __ATOMIC_RELEASE);
	if (write(q->kick, &one, sizeof(one)) != sizeof(one))
		check(0, "kick");
}

static uint16_t used_idx(struct queue *q)
{
	return __atomic_load_n(&q->vr.used->idx, __ATOMIC_ACQUIRE);
}

/* Workers of vmeta still alive: kthreads called vmeta-<pid>. */
static int workers(void)
{
	struct dirent *e;
	char path[300], comm[32];
	DIR *d = opendir("/proc");
	int n = 0;
	FILE *f;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "vmeta-", 6))
			n++;
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* workers() once it has settled on @n (an exiting kthread lingers). */
static int workers_settle(int n)
{
	int i, w = workers();

	for (i = 0; i < 20 && w != n; i++) {
		usleep(100000);
		w = workers();
	}
	return w;
}

static int open_owned(void)
{
	int fd = open("/dev/vhost-test", O_RDWR);

	if (fd >= 0 && io(fd, VHOST_SET_OWNER, NULL))
		check(0, "SET_OWNER");
	return fd;
}

/* A child that owns a running queue and exits without closing it. */
static void owner_exits(int keep_child)
{
	struct queue q;
	int one = 1;
	pid_t pid = fork();

	if (!pid) {
		int fd = open_owned();

		if (setup(&q, fd) || io(fd, TEST_RUN, &one))
			_exit(2);
		post(&q, 0);
		if (!fired(q.call, 2000) || used_idx(&q) != 1)
			_exit(3);
		if (keep_child && !fork()) {
			struct vhost_vring_state s = { 0 };

			/* The grandchild holds the fd; it is no owner. */
			usleep(200000);
			check(io(fd, VHOST_GET_VRING_BASE, &s) == -EPERM,
			      "the child holding the fd is no owner");
			_exit(0);
		}
		_exit(0);	/* no close: exit tears the device down */
	}
	waitpid(pid, &one, 0);
	check(WIFEXITED(one) && !WEXITSTATUS(one),
	      keep_child ? "owner exits, a child keeps the fd" :
			   "owner exits with a running queue");
	if (keep_child)
		usleep(500000);	/* the grandchild's exit closes the fd */
}

int main(void)
{
	struct vhost_vring_file be = { .index = 0, .fd = 1 };
	struct vhost_vring_state s = { 0 };
	uint64_t features = 0;
	struct queue q;
	int fd, one = 1, two = 2, zero = 0, st;
	pid_t pid;

	fd = open("/dev/vhost-test", O_RDWR);
	check(fd >= 0, "open /dev/vhost-test");
	check(!io(fd, VHOST_GET_FEATURES, &features) &&
	      (features & (1ULL << VIRTIO_RING_F_EVENT_IDX)),
	      "GET_FEATURES without an owner");
	check(io(fd, VHOST_SET_FEATURES, &features) == -EPERM,
	      "SET_FEATURES without an owner is EPERM");
	check(io(fd, TEST_RUN, &two) == -EINVAL, "TEST_RUN(2) is EINVAL");
	check(io(fd, VHOST_SET_MEM_TABLE, &s) == -EPERM,
	      "SET_MEM_TABLE without an owner is EPERM");
	check(!io(fd, VHOST_SET_OWNER, NULL), "SET_OWNER");
	check(io(fd, VHOST_SET_OWNER, NULL) == -EBUSY, "SET_OWNER twice: EBUSY");
	check(io(fd, TEST_RUN, &zero) == -EFAULT,
	      "TEST_RUN(0) without a memory table: EFAULT");
	check(io(fd, VHOST_GET_VRING_BASE, NULL) == -EFAULT,
	      "a vring ioctl reads its index first");
	s.index = 1;
	check(io(fd, VHOST_GET_VRING_BASE, &s) == -ENOBUFS,
	      "queue index 1: ENOBUFS");

	check(!setup(&q, fd), "configure the queue");
	check(!io(fd, TEST_RUN, &one), "TEST_RUN(1)");
	post(&q, 0);
	check(fired(q.call, 2000) && used_idx(&q) == 1,
	      "a kick is served and the first used buffer signals");
	s.index = 0;
	check(io(fd, VHOST_SET_VRING_NUM, &s) == -EBUSY,
	      "SET_VRING_NUM while running: EBUSY");

	post(&q, 99);		/* head out of range */
	check(fired(q.err, 2000) && used_idx(&q) == 1,
	      "a malformed ring signals the error eventfd");
	post(&q, 1);
	check(fired(q.err, 2000) && used_idx(&q) == 1 && !fired(q.call, 100),
	      "the queue stays stopped; a new kick signals the error again");
	check(!io(fd, VHOST_GET_VRING_BASE, &s) && s.num == 1,
	      "GET_VRING_BASE stops at the bad buffer");
	be.fd = -1;
	check(!io(fd, TEST_SET_BACKEND, &be), "SET_BACKEND -1");
	q.vr.avail->ring[1 % NUM] = 1;	/* the guest fixes its ring */
	be.fd = 1;
	check(!io(fd, TEST_SET_BACKEND, &be), "SET_BACKEND enable");
	check(fired(q.call, 2000) && used_idx(&q) == 3,
	      "re-enabling retries the bad buffer and serves the rest");

	pid = fork();
	if (!pid)
		_exit(io(fd, VHOST_SET_MEM_TABLE, &s) == -EPERM ? 0 : 1);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && !WEXITSTATUS(st),
	      "a forked child is no owner: EPERM");

	check(!io(fd, VHOST_RESET_OWNER, NULL), "RESET_OWNER");
	check(io(fd, VHOST_GET_VRING_BASE, &s) == -EPERM,
	      "no owner after RESET_OWNER");
	check(!io(fd, VHOST_SET_OWNER, NULL), "SET_OWNER after RESET_OWNER");
	check(io(fd, TEST_RUN, &zero) == -EFAULT,
	      "RESET_OWNER forgets the memory table");
	check(!setup(&q, fd) && !io(fd, TEST_RUN, &one),
	      "configure and run again");
	post(&q, 0);
	check(fired(q.call, 2000) && used_idx(&q) == 1,
	      "served by the new owner's worker");
	check(workers_settle(1) == 1, "one worker");
	close(fd);
	check(workers_settle(0) == 0, "close stops the worker");

	owner_exits(0);
	owner_exits(1);
	check(workers_settle(0) == 0, "no worker left");
	return failed;
}
