// SPDX-License-Identifier: GPL-2.0
/*
 * mm_check: mm events on the pages of a running queue's rings, between
 * kicks, inside the kcheck guest (scripts/kcheck-init.sh runs it once per
 * strategy).  Every event must be followed by a served kick with the
 * right used entry; the events make the kernel invalidate the rings'
 * notifiers, free or move their pages, and, for process_mrelease(),
 * invalidate them from a non-blockable range:
 *
 *   dontneed  MADV_DONTNEED of both ring pages (content saved, restored)
 *   migrate   move_pages() of both ring pages to the other NUMA node
 *   pageout   MADV_PAGEOUT of both ring pages, to swap
 *   cow       fork(), then the parent writes the rings (COW break)
 *   munmap    close the device, then unmap and map the rings again
 *   oom       a child owning a queue is OOM-killed in a memory cgroup
 *             while its device stays open: the OOM reaper's
 *             non-blockable invalidation of the rings
 *
 * These are what the debug kernel (make kcheck-debug) needs to see the
 * planted bugs of core/vmeta_plant.h: a freed ring page still used
 * (KASAN), a sleep in a non-blockable invalidation (DEBUG_ATOMIC_SLEEP),
 * a notifier left in the mm after close (KASAN).
 * Usage: mm_check [strategy] (vmap-pin skips what pinning cannot follow).
 * Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include "vm_check.h"

#define TEST_RUN	_IOW(VHOST_VIRTIO, 0x31, int)
#define NUM		8
#define RING_BYTES	(2 * 4096)	/* desc + avail, then used */
#define ROUNDS		4

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE	(1 << 1)
#endif

struct queue {
	int fd, kick, call;
	struct vring vr;
	char *ring, *buf;
	uint16_t next;		/* the next avail index the guest posts */
};

static char *map_rings(void)
{
	char *r = mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (r == MAP_FAILED)
		return NULL;
	/* Two separate small pages: no THP, so each event hits them. */
	madvise(r, RING_BYTES, MADV_NOHUGEPAGE);
	memset(r, 0, RING_BYTES);
	return r;
}

/* Open, own, configure and start a queue over rings at @q->ring. */
static int setup(struct queue *q)
{
	int r, one = 1;

	q->fd = open("/dev/vhost-test", O_RDWR);
	if (q->fd < 0)
		return -errno;
	q->kick = eventfd(0, EFD_NONBLOCK);
	q->call = eventfd(0, EFD_NONBLOCK);
	q->next = 0;
	vring_init(&q->vr, NUM, q->ring, 4096);
	r = io(q->fd, VHOST_SET_OWNER, NULL);
	r = r ?: vq_configure(q->fd, &q->vr, q->buf, q->kick, q->call);
	r = r ?: io(q->fd, TEST_RUN, &one);
	return r;
}

static void teardown(struct queue *q)
{
	close(q->fd);
	close(q->kick);
	close(q->call);
}

/*
 * Post one 64-byte buffer, kick, and wait for the host to use it: the
 * used index must reach the posted one and the used entry must name the
 * head posted.  Event index: the host signals every buffer here, as the
 * guest never advances used_event past what it has seen.
 */
static int serve(struct queue *q)
{
	uint16_t head = q->next % NUM, idx = q->next;
	uint64_t one = 1;
	int i;

	q->vr.desc[head].addr = (uintptr_t)q->buf;
	q->vr.desc[head].len = 64;
	q->vr.desc[head].flags = 0;
	q->vr.avail->ring[idx % NUM] = head;
	vring_used_event(&q->vr) = idx;
	__atomic_store_n(&q->vr.avail->idx, (uint16_t)(idx + 1),
			 __ATOMIC_RELEASE);
	if (write(q->kick, &one, sizeof(one)) != sizeof(one))
		return 0;
	q->next++;
	for (i = 0; i < 50; i++) {
		if (__atomic_load_n(&q->vr.used->idx, __ATOMIC_ACQUIRE) ==
		    q->next)
			return q->vr.used->ring[idx % NUM].id == head;
		fired(q->call, 100);
	}
	return 0;
}

static int nodes(void)
{
	return access("/sys/devices/system/node/node1", F_OK) ? 1 : 2;
}

static int swap_on(void)
{
	char line[256];
	FILE *f = fopen("/proc/swaps", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n > 1;
}

/* Both ring pages to the node they are not on; 0 if both moved. */
static int migrate(char *ring)
{
	void *pages[2] = { ring, ring + 4096 };
	int where[2], to[2], status[2], i;

	if (syscall(SYS_move_pages, 0, 2, pages, NULL, where, 0))
		return -1;
	for (i = 0; i < 2; i++)
		to[i] = where[i] == 0 ? 1 : 0;
	if (syscall(SYS_move_pages, 0, 2, pages, to, status, MPOL_MF_MOVE))
		return -1;
	return status[0] == to[0] && status[1] == to[1] ? 0 : -1;
}

/* The rings' content survives MADV_DONTNEED through a copy. */
static int dontneed(char *ring)
{
	static char save[RING_BYTES];

	memcpy(save, ring, RING_BYTES);
	if (madvise(ring, RING_BYTES, MADV_DONTNEED))
		return -1;
	memcpy(ring, save, RING_BYTES);
	return 0;
}

/* fork; the parent breaks COW on both pages while the child lives. */
static int cow(char *ring)
{
	int st, p[2];
	pid_t pid;
	char c = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	/* A write to each page breaks COW: the parent gets new pages. */
	__atomic_fetch_add(&ring[1], 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&ring[4097], 0, __ATOMIC_SEQ_CST);
	close(p[1]);
	waitpid(pid, &st, 0);
	return pid > 0 ? 0 : -1;
}

/*
 * vmap-pin is the 2019 series' first version, kept as a baseline: it
 * pins the ring pages and maps them once, so a DONTNEED gives the guest
 * new pages the host never sees, and migration cannot move a pinned
 * page.  Those two events are skipped for it, and said so.
 */
static int pinned;

static void events(void)
{
	struct queue q;
	char what[80];
	int round, ok;

	q.ring = map_rings();
	q.buf = aligned_alloc(4096, 4096);
	check(q.ring && q.buf && !setup(&q), "configure a queue");
	check(serve(&q), "a kick is served");
	for (round = 0; round < ROUNDS; round++) {
		snprintf(what, sizeof(what), "round %d: dontneed, served",
			 round);
		if (pinned)
			skip(what, "vmap-pin: pinned pages do not follow");
		else
			check(!dontneed(q.ring) && serve(&q), what);

		snprintf(what, sizeof(what), "round %d: migrate, served",
			 round);
		if (pinned) {
			skip(what, "vmap-pin: pinned pages do not move");
		} else if (nodes() < 2) {
			skip(what, "one NUMA node");
		} else {
			ok = !migrate(q.ring);
			check(ok && serve(&q), what);
		}

		snprintf(what, sizeof(what), "round %d: pageout, served",
			 round);
		if (!swap_on()) {
			skip(what, "no swap");
		} else {
			ok = !madvise(q.ring, RING_BYTES, MADV_PAGEOUT);
			check(ok && serve(&q), what);
		}

		snprintf(what, sizeof(what), "round %d: cow, served", round);
		check(!cow(q.ring) && serve(&q), what);
	}
	/*
	 * Close, then unmap and map the rings again: a notifier left in the
	 * mm would now be walked over by munmap and by every later fault.
	 */
	teardown(&q);
	check(!munmap(q.ring, RING_BYTES), "close, then munmap the rings");
	q.ring = map_rings();
	check(q.ring && !setup(&q) && serve(&q),
	      "a new queue on new rings is served");
	teardown(&q);
	munmap(q.ring, RING_BYTES);
	free(q.buf);
}

static int put(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	close(fd);
	return ok ? 0 : -1;
}

/* Did the kernel log "oom_reaper: reaped process <pid>"? */
static int oom_reaped(pid_t pid)
{
	static char log[1 << 20];
	char needle[64];
	int n = klogctl(3, log, sizeof(log) - 1);	/* READ_ALL */

	if (n <= 0)
		return 0;
	log[n] = 0;
	snprintf(needle, sizeof(needle), "oom_reaper: reaped process %d ",
		 (int)pid);
	return strstr(log, needle) != NULL;
}

#define CG	"/sys/fs/cgroup"
#define CG_OOM	CG "/vmeta-oom"

/*
 * The owner of a running queue is OOM-killed in a 32 MiB memory cgroup
 * while a child keeps the device, and so the mm, alive: two seconds
 * later the OOM reaper unmaps the dead owner's memory, the rings
 * included, through a non-blockable invalidation.  (process_mrelease()
 * cannot do this: it refuses an mm that the queue's worker has adopted
 * with kthread_use_mm(); the OOM killer skips kernel threads.)
 */
static void oom_owner(void)
{
	const char *what = "oom: the killed owner's mm is reaped, rings included";
	int p[2], hold[2], st, i;
	struct queue q;
	pid_t pid;
	char c = 0;

	if (access(CG "/cgroup.controllers", F_OK))
		mount("cgroup2", CG, "cgroup2", 0, NULL);
	put(CG "/cgroup.subtree_control", "+memory");
	mkdir(CG_OOM, 0755);
	if (put(CG_OOM "/memory.max", "32M")) {
		skip(what, "no memory cgroup");
		return;
	}
	put(CG_OOM "/memory.swap.max", "0");
	if (pipe(p) || pipe(hold)) {
		check(0, "oom: pipe");
		return;
	}
	pid = fork();
	if (!pid) {
		char me[16], *hog;

		close(p[0]);
		q.ring = map_rings();
		q.buf = aligned_alloc(4096, 4096);
		if (!q.ring || !q.buf || setup(&q) || !serve(&q))
			_exit(2);
		/*
		 * The holder: no owner, outside the cgroup, keeps the fd
		 * (and so the mm) until the parent has seen the reap.
		 */
		if (!fork()) {
			close(hold[1]);
			if (read(hold[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		close(hold[0]);
		close(hold[1]);
		snprintf(me, sizeof(me), "%d", (int)getpid());
		if (put(CG_OOM "/cgroup.procs", me))
			_exit(3);
		if (write(p[1], &c, 1) != 1)
			_exit(4);
		for (i = 0; i < 1024; i++) {	/* 256 MiB: never all */
			hog = mmap(NULL, 1 << 18, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (hog != MAP_FAILED)
				memset(hog, 1, 1 << 18);
		}
		_exit(5);
	}
	close(p[1]);
	close(hold[0]);
	i = read(p[0], &c, 1) == 1;
	close(p[0]);
	waitpid(pid, &st, 0);
	check(i && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "oom: the owner of a running queue is OOM-killed");
	/* Two seconds after the kill, more on a slow or busy machine. */
	for (i = 0; i < 600 && !oom_reaped(pid); i++)
		usleep(100000);
	check(oom_reaped(pid), what);
	close(hold[1]);		/* the holder exits, releasing the device */
	sleep(1);
	rmdir(CG_OOM);
}

int main(int argc, char **argv)
{
	pinned = argc > 1 && !strcmp(argv[1], "vmap-pin");
	events();
	/* ~10 s: only where notifiers see it (the others: no notifier). */
	if (argc < 2 || !strcmp(argv[1], "vmap") || !strcmp(argv[1], "kmap"))
		oom_owner();
	return failed;
}
