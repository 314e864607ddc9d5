// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_torture: a guest driver on /dev/vhost-test, inside the kcheck
 * guest, while other threads change the mappings under the running queue.
 *
 *	vhost_torture --mode anon|memfd|thp [--ms N] [--seed N]
 *		      [--need-invalidations]
 *
 * One 2 MiB area, 2 MiB-aligned, holds everything the device reads or
 * writes: the rings (256 entries) and indirect tables in its first 32 KiB,
 * one 4 KiB buffer slot per head after 64 KiB.  It is anonymous memory in
 * 4 KiB pages (anon), a shared memfd (memfd), or one transparent huge
 * page (thp).  The memory table maps the area at guest address == user
 * address.  The guest posts chains of 1 to 3 buffers (direct or
 * indirect), kicks through the eventfd and reaps the used ring.
 *
 * The test device (stock and ours) only reads descriptors and writes
 * used entries with length 0; it never touches buffer bytes.  So "no byte
 * the device wrote is lost" is checked on what it writes: every used
 * entry names a head in flight (none lost, none twice) with length 0,
 * and used->idx never runs ahead.  The buffers hold a fixed pattern,
 * checked on every return: the mm events below must not corrupt them.
 *
 * The chaos thread fires only what a guest may legally do to memory the
 * device uses: it may not lose its rings.  So the rings and tables of the
 * private modes see only mprotect toggles that keep them writable, fork
 * (COW: the parent's next write, or the device's, gets a new page),
 * migration and THP splits; MADV_DONTNEED and munmap+mmap hit the rings
 * only in the memfd mode (the data stays in the file; mmap(MAP_FIXED)
 * replaces the mapping atomically).  Buffers may lose their pages in any
 * mode: the content is put back from a copy while the reaper is held off
 * (the device does not read it).  A second thread toggles the used ring's
 * protection as fast as it can, so that invalidations race the device's
 * remaps.
 *
 * After the run, vmeta's per-queue statistics are read from debugfs;
 * --need-invalidations requires invalidations > 0 and retries > 0.
 * Prints "ok - ..." / "not ok - ..." and "# ..." lines; exits 1 on a
 * failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#define TEST_RUN	_IOW(VHOST_VIRTIO, 0x31, int)
#define NUM		256
#define AREA		(2UL << 20)
#define PG		4096UL
#define RINGS		(32 * 1024UL)	/* rings, then indirect tables */
#define TABLES		(16 * 1024UL)
#define SLOTS		(64 * 1024UL)
#define NSLOTS		NUM
#define DATA		256		/* buffer bytes start in a slot */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#define MPOL_MF_MOVE	2

enum mode { ANON, MEMFD, THP };
static const char *const mode_names[] = { "anon", "memfd", "thp" };

enum event {
	EV_MPROTECT_RING, EV_MPROTECT_BUF, EV_DONTNEED_BUF, EV_REMAP_BUF,
	EV_FORK, EV_MIGRATE, EV_DONTNEED_RING, EV_REMAP_RING, EV_THP_SPLIT,
	EV_THP_HALF, EV_THP_COLLAPSE, NR_EVENTS
};
static const char *const ev_names[] = {
	"mprotect-ring", "mprotect-buf", "dontneed-buf", "remap-buf",
	"fork-cow", "migrate", "dontneed-ring", "remap-ring", "thp-split",
	"thp-half", "thp-collapse",
};

static enum mode mode;
static char *area;		/* AREA bytes at a 2 MiB boundary */
static char *shadow;		/* the buffers' content */
static int memfd = -1;
static struct vring vr;
static int fd, kick_fd, call_fd, err_fd;
static int stop_chaos;		/* __atomic */
static unsigned int rounds;		/* complete rounds of the chaos */
static pthread_rwlock_t buf_lock = PTHREAD_RWLOCK_INITIALIZER;
static unsigned long fired[NR_EVENTS], done[NR_EVENTS], moved, hammered;
static int failed, two_nodes;

static void check(int cond, const char *what)
{
	printf("%s - %s: %s\n", cond ? "ok" : "not ok", mode_names[mode],
	       what);
	fflush(stdout);
	if (!cond)
		failed = 1;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ULL + t.tv_nsec / 1000000;
}

/* xorshift; each thread has its own state. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static char *slot(unsigned int i)
{
	return area + SLOTS + i * PG;
}

/* ---- the area --------------------------------------------------------- */

static int map_at(char *at, unsigned long off, unsigned long len)
{
	void *p;

	if (mode == MEMFD)
		p = mmap(at, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, memfd, off);
	else
		p = mmap(at, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(at, len, mode == THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return 0;
}

/* Kilobytes of the area in huge pages, from /proc/self/smaps. */
static long area_huge_kb(void)
{
	char line[256], start[32];
	long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(start, sizeof(start), "%lx-", (unsigned long)area);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, start, strlen(start));
		if (in && sscanf(line, "AnonHugePages: %ld", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return kb;
}

static void area_setup(uint32_t seed)
{
	char *r = mmap(NULL, 2 * AREA, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	area = (char *)(((uintptr_t)r + AREA - 1) & ~(AREA - 1));
	if (mode == MEMFD) {
		memfd = memfd_create("vhost_torture", 0);
		if (memfd < 0 || ftruncate(memfd, AREA))
			exit(2);
	}
	if (r == MAP_FAILED || map_at(area, 0, AREA))
		exit(2);
	for (i = 0; i < AREA; i++)
		area[i] = i >= SLOTS ? (char)(seed + i * 7 + (i >> 12)) : 0;
	shadow = malloc(AREA);
	memcpy(shadow, area, AREA);
	vring_init(&vr, NUM, area, PG);
}

/* Every buffer byte as it was written? */
static int slot_intact(unsigned int i)
{
	int ok;

	pthread_rwlock_rdlock(&buf_lock);
	ok = !memcmp(slot(i) + DATA, shadow + (slot(i) - area) + DATA,
		     PG - DATA);
	pthread_rwlock_unlock(&buf_lock);
	return ok;
}

/* ---- the chaos ---------------------------------------------------------- */

/* @n random buffer pages, as one range. */
static char *buf_range(uint32_t *s, unsigned long *len)
{
	unsigned long first = rnd(s) % NSLOTS, n = 1 + rnd(s) % 8;

	if (first + n > NSLOTS)
		n = NSLOTS - first;
	*len = n * PG;
	return slot(first);
}

/* Drop the pages of a buffer range, or map it anew, and put it back. */
static int lose_buffers(char *p, unsigned long len, int remap)
{
	int r;

	pthread_rwlock_wrlock(&buf_lock);
	if (remap)
		r = munmap(p, len) || map_at(p, p - area, len);
	else
		r = madvise(p, len, MADV_DONTNEED);
	if (mode != MEMFD)
		memcpy(p, shadow + (p - area), len);
	pthread_rwlock_unlock(&buf_lock);
	return r;
}

static int fork_cow(uint32_t *s)
{
	unsigned int i = rnd(s) % NSLOTS;
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		/* The child's own copies (memfd: a shared page, untouched). */
		if (mode != MEMFD) {
			memset(area + RINGS - TABLES, 0x5a, TABLES);
			memset(slot(i), 0xa5, PG);
		}
		_exit(0);
	}
	/* The parent writes the same bytes: a COW copy, same content. */
	memcpy(slot((i + 1) % NSLOTS) + DATA,
	       shadow + (slot((i + 1) % NSLOTS) - area) + DATA, PG - DATA);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

static int migrate(uint32_t *s)
{
	void *pages[16];
	int nodes[16], status[16], i, node = rnd(s) % 2;
	long r;

	for (i = 0; i < 16; i++) {
		pages[i] = i < 8 ? area + i * PG : slot(rnd(s) % NSLOTS);
		nodes[i] = node;
		status[i] = -1;
	}
	r = syscall(SYS_move_pages, 0, 16, pages, nodes, status,
		    MPOL_MF_MOVE);
	for (i = 0; i < 16; i++)
		if (status[i] == node)
			__atomic_fetch_add(&moved, 1, __ATOMIC_RELAXED);
	return r < 0 ? -1 : 0;
}

static int fire(enum event e, uint32_t *s)
{
	unsigned long len, off = rnd(s) % (AREA / PG - SLOTS / PG);
	char *p;

	switch (e) {
	case EV_MPROTECT_RING:
		return mprotect(area, RINGS, PROT_READ | PROT_WRITE |
				PROT_EXEC) ||
		       mprotect(area, RINGS, PROT_READ | PROT_WRITE);
	case EV_MPROTECT_BUF:
		p = buf_range(s, &len);
		return mprotect(p, len, PROT_READ) ||
		       mprotect(p, len, PROT_READ | PROT_WRITE);
	case EV_DONTNEED_BUF:
		p = buf_range(s, &len);
		return lose_buffers(p, len, 0);
	case EV_REMAP_BUF:
		p = buf_range(s, &len);
		return lose_buffers(p, len, 1);
	case EV_FORK:
		return fork_cow(s);
	case EV_MIGRATE:
		return migrate(s);
	case EV_DONTNEED_RING:
		return madvise(area, RINGS, MADV_DONTNEED);
	case EV_REMAP_RING:
		return map_at(area, 0, RINGS);
	case EV_THP_SPLIT:	/* one 4 KiB page of the huge page changes */
		p = area + SLOTS + off * PG;
		return mprotect(p, PG, PROT_READ) ||
		       mprotect(p, PG, PROT_READ | PROT_WRITE);
	case EV_THP_HALF:
		return madvise(area + AREA / 2, AREA / 2, MADV_NOHUGEPAGE) ||
		       madvise(area + AREA / 2, AREA / 2, MADV_HUGEPAGE);
	case EV_THP_COLLAPSE:
		madvise(area, AREA, MADV_COLLAPSE);	/* may say EAGAIN */
		return 0;
	default:
		return -1;
	}
}

static int allowed(enum event e)
{
	switch (e) {
	case EV_DONTNEED_RING:
	case EV_REMAP_RING:
		return mode == MEMFD;
	case EV_THP_SPLIT:
	case EV_THP_HALF:
	case EV_THP_COLLAPSE:
		return mode == THP;
	case EV_MIGRATE:
		return two_nodes;
	default:
		return 1;
	}
}

/*
 * Rounds of every allowed event, in a random order each round, with
 * random targets; the guest keeps going until one round is complete.
 */
static void *chaos(void *arg)
{
	uint32_t s = (uintptr_t)arg | 1;
	enum event order[NR_EVENTS], e;
	unsigned int i, j;

	while (!__atomic_load_n(&stop_chaos, __ATOMIC_RELAXED)) {
		for (i = 0; i < NR_EVENTS; i++)
			order[i] = i;
		for (i = NR_EVENTS - 1; i > 0; i--) {
			j = rnd(&s) % (i + 1);
			e = order[i];
			order[i] = order[j];
			order[j] = e;
		}
		for (i = 0; i < NR_EVENTS &&
		     !__atomic_load_n(&stop_chaos, __ATOMIC_RELAXED); i++) {
			e = order[i];
			if (!allowed(e))
				continue;
			fired[e]++;
			if (!fire(e, &s))
				done[e]++;
			usleep(rnd(&s) % 2000);
		}
		if (i == NR_EVENTS)
			__atomic_store_n(&rounds, rounds + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The used ring's page, writable throughout, its protection toggled. */
static void *hammer(void *arg)
{
	char *used = (char *)((uintptr_t)vr.used & ~(PG - 1));

	(void)arg;
	while (!__atomic_load_n(&stop_chaos, __ATOMIC_RELAXED)) {
		mprotect(used, PG, PROT_READ | PROT_WRITE | PROT_EXEC);
		mprotect(used, PG, PROT_READ | PROT_WRITE);
		hammered++;
		sched_yield();
	}
	return NULL;
}

/* ---- the guest driver ----------------------------------------------------- */

struct inflight {
	int busy;
	unsigned int ndesc;
	uint16_t desc[3];
};

static struct inflight fl[NUM];
static uint16_t free_desc[NUM];
static unsigned int nfree;
static uint16_t last_used;
static unsigned long posted, completed, dup_or_bad, bad_len, corrupt,
	lost;

static int io(unsigned long cmd, const void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static void dev_setup(void)
{
	uint64_t f = (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
		     (1ULL << VIRTIO_RING_F_EVENT_IDX) |
		     (1ULL << VIRTIO_F_VERSION_1);
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} mem = { .m.nregions = 1,
		  .r = { .guest_phys_addr = (uintptr_t)area,
			 .userspace_addr = (uintptr_t)area,
			 .memory_size = AREA } };
	struct vhost_vring_state st = { .num = NUM };
	struct vhost_vring_addr a = {
		.desc_user_addr = (uintptr_t)vr.desc,
		.avail_user_addr = (uintptr_t)vr.avail,
		.used_user_addr = (uintptr_t)vr.used,
	};
	struct vhost_vring_file k = { .fd = kick_fd }, c = { .fd = call_fd },
		e = { .fd = err_fd };
	int one = 1, r = 0;

	fd = open("/dev/vhost-test", O_RDWR);
	r = fd < 0 ? -errno : 0;
	r = r ?: io(VHOST_SET_OWNER, NULL);
	r = r ?: io(VHOST_SET_FEATURES, &f);
	r = r ?: io(VHOST_SET_MEM_TABLE, &mem);
	r = r ?: io(VHOST_SET_VRING_NUM, &st);
	st.num = 0;
	r = r ?: io(VHOST_SET_VRING_BASE, &st);
	r = r ?: io(VHOST_SET_VRING_ADDR, &a);
	r = r ?: io(VHOST_SET_VRING_KICK, &k);
	r = r ?: io(VHOST_SET_VRING_CALL, &c);
	r = r ?: io(VHOST_SET_VRING_ERR, &e);
	r = r ?: io(TEST_RUN, &one);
	check(!r, "the queue is configured and runs");
	if (r)
		exit(1);
}

/* Post one chain of 1 to 3 buffers in the slot of its head. */
static int post_one(uint32_t *s)
{
	unsigned int n = 1 + rnd(s) % 3, i, head, len = (PG - DATA) / 3;
	int indirect = rnd(s) % 4 == 0;
	struct vring_desc *d, *t;
	uint16_t idx;

	if (nfree < (indirect ? 1 : n))
		return 0;
	head = free_desc[--nfree];
	fl[head].busy = 1;
	fl[head].ndesc = indirect ? 1 : n;
	fl[head].desc[0] = head;
	d = &vr.desc[head];
	if (indirect) {
		t = (void *)(area + RINGS - TABLES + head * 64);
		for (i = 0; i < n; i++) {
			t[i].addr = (uintptr_t)slot(head) + DATA + i * len;
			t[i].len = len;
			t[i].flags = i + 1 < n ? VRING_DESC_F_NEXT : 0;
			t[i].next = i + 1;
		}
		d->addr = (uintptr_t)t;
		d->len = n * sizeof(*t);
		d->flags = VRING_DESC_F_INDIRECT;
	} else {
		for (i = 0; i < n; i++) {
			d->addr = (uintptr_t)slot(head) + DATA + i * len;
			d->len = len - rnd(s) % 64;
			d->flags = 0;
			if (i + 1 < n) {
				fl[head].desc[i + 1] = free_desc[--nfree];
				d->flags = VRING_DESC_F_NEXT;
				d->next = fl[head].desc[i + 1];
				d = &vr.desc[d->next];
			}
		}
	}
	idx = vr.avail->idx;
	vr.avail->ring[idx % NUM] = head;
	__atomic_store_n(&vr.avail->idx, idx + 1, __ATOMIC_RELEASE);
	posted++;
	return 1;
}

static int reap(void)
{
	uint16_t end = __atomic_load_n(&vr.used->idx, __ATOMIC_ACQUIRE);
	struct vring_used_elem u;
	int n = 0;
	unsigned int i;

	if ((uint16_t)(end - last_used) > NUM) {
		dup_or_bad++;		/* the device ran ahead of us */
		return -1;
	}
	for (; last_used != end; last_used++, n++) {
		u = vr.used->ring[last_used % NUM];
		if (u.id >= NUM || !fl[u.id].busy) {
			dup_or_bad++;
			continue;
		}
		if (u.len)
			bad_len++;
		if (!slot_intact(u.id))
			corrupt++;
		fl[u.id].busy = 0;
		for (i = 0; i < fl[u.id].ndesc; i++)
			free_desc[nfree++] = fl[u.id].desc[i];
		completed++;
	}
	vring_used_event(&vr) = last_used;
	return n;
}

static int read_stats(char *buf, size_t size);
static long stat_of(const char *text, const char *key);
static int need;		/* --need-invalidations */

/* Has vmeta counted invalidations and retries yet (if they are needed)? */
static int stats_met(void)
{
	char buf[4096];

	return !need || (!read_stats(buf, sizeof(buf)) &&
			 stat_of(buf, "invalidations: ") > 0 &&
			 stat_of(buf, "retries: ") > 0);
}

/*
 * Drive the queue for @ms, and on until the chaos has done a whole round
 * and (for as long again as @ms, three times) vmeta's counters show what
 * --need-invalidations needs; then wait for every chain to come back.
 */
static void drive(unsigned int ms, uint32_t s)
{
	struct pollfd p[2] = { { .fd = call_fd, .events = POLLIN },
			       { .fd = err_fd, .events = POLLIN } };
	uint64_t end = now_ms() + ms, progress = now_ms(), v, one = 1;
	uint64_t cap = end + 3 * ms, next_look = end;
	unsigned int i, batch;
	int errors = 0, met = 0;

	for (i = 0; i < NUM; i++)
		free_desc[nfree++] = NUM - 1 - i;
	for (;;) {
		int stopping;

		if (!met && now_ms() >= next_look) {
			met = stats_met() || now_ms() >= cap;
			next_look = now_ms() + 200;
		}
		stopping = met && __atomic_load_n(&rounds, __ATOMIC_ACQUIRE);

		if (stopping && completed == posted)
			break;
		batch = 1 + rnd(&s) % 32;
		for (i = 0; !stopping && i < batch && post_one(&s); i++)
			;
		if (i && write(kick_fd, &one, 8) != 8)
			break;
		if (poll(p, 2, 20) > 0) {
			if (p[0].revents & POLLIN)
				v = read(call_fd, &v, 8);	/* consumed */
			if (p[1].revents & POLLIN) {
				errors++;
				break;
			}
		}
		if (reap() > 0)
			progress = now_ms();
		else if (now_ms() - progress > 10000)
			break;		/* stalled */
		if (stopping)
			__atomic_store_n(&stop_chaos, 1, __ATOMIC_RELAXED);
		/* Draining: kick again now and then (nothing is lost). */
		if (stopping && now_ms() - progress > 2000 &&
		    write(kick_fd, &one, 8) != 8)
			break;
	}
	__atomic_store_n(&stop_chaos, 1, __ATOMIC_RELAXED);
	lost = posted - completed;
	check(!errors, "the device reported no error");
}

/* ---- vmeta's statistics ---------------------------------------------------- */

static long stat_of(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atol(p + strlen(key)) : -1;
}

/* The newest vmeta device's vq0 file: ours (one device at a time). */
static int read_stats(char *buf, size_t size)
{
	const char *root = "/sys/kernel/debug/vmeta";
	struct dirent *e;
	char path[300];
	int best = -1, n, f;
	ssize_t got;
	DIR *d = opendir(root);

	while (d && (e = readdir(d)))
		if (sscanf(e->d_name, "vhost-%d", &n) == 1 && n > best)
			best = n;
	if (d)
		closedir(d);
	if (best < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/vhost-%d/vq0", root, best);
	f = open(path, O_RDONLY);
	got = f < 0 ? -1 : read(f, buf, size - 1);
	if (f >= 0)
		close(f);
	if (got <= 0)
		return -1;
	buf[got] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int ms = 3000, i;
	uint32_t seed = (uint32_t)time(NULL);
	int zero = 0;
	struct vhost_vring_state st = { 0 };
	pthread_t t1, t2;
	char stats[4096], line[200];
	long huge;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--mode") && i + 1 < (unsigned int)argc) {
			i++;
			mode = !strcmp(argv[i], "memfd") ? MEMFD :
			       !strcmp(argv[i], "thp") ? THP : ANON;
		} else if (!strcmp(argv[i], "--ms") && i + 1 < (unsigned int)argc) {
			ms = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--seed") &&
			   i + 1 < (unsigned int)argc) {
			seed = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--need-invalidations")) {
			need = 1;
		}
	}
	seed |= 1;
	/* PREEMPT_RT kernels have no THP (mm/Kconfig): nothing to torture. */
	if (mode == THP &&
	    access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK)) {
		printf("ok - thp: the torture # SKIP this kernel has no "
		       "transparent huge pages\n");
		return 0;
	}
	printf("# %s: seed %u, %u ms\n", mode_names[mode], seed, ms);
	two_nodes = !access("/sys/devices/system/node/node1", F_OK);
	kick_fd = eventfd(0, EFD_NONBLOCK);
	call_fd = eventfd(0, EFD_NONBLOCK);
	err_fd = eventfd(0, EFD_NONBLOCK);
	area_setup(seed);
	huge = area_huge_kb();
	if (mode == THP)
		check(huge >= 2048, "the area starts as a huge page");
	dev_setup();

	pthread_create(&t1, NULL, chaos, (void *)(uintptr_t)(seed * 3));
	pthread_create(&t2, NULL, hammer, NULL);
	drive(ms, seed);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);

	check(posted > 100, "chains went through the queue");
	snprintf(line, sizeof(line), "%lu chains, none lost (%lu), none "
		 "twice or unknown (%lu)", completed, lost, dup_or_bad);
	check(!lost && !dup_or_bad, line);
	snprintf(line, sizeof(line), "used lengths as the device wrote "
		 "them (%lu bad)", bad_len);
	check(!bad_len, line);
	snprintf(line, sizeof(line), "buffer bytes intact (%lu corrupt)",
		 corrupt);
	check(!corrupt, line);
	check(!io(VHOST_GET_VRING_BASE, &st) &&
	      st.num == (uint16_t)posted, "GET_VRING_BASE: every chain seen");
	printf("# %s: events (fired/done):", mode_names[mode]);
	for (i = 0; i < NR_EVENTS; i++)
		if (fired[i])
			printf(" %s %lu/%lu", ev_names[i], fired[i], done[i]);
	printf("; used-ring toggles %lu; pages moved %lu\n", hammered,
	       moved);
	for (i = 0; i < NR_EVENTS; i++)
		if (allowed(i) && i != EV_THP_COLLAPSE) {
			snprintf(line, sizeof(line), "%s fired and took",
				 ev_names[i]);
			check(done[i] > 0, line);
		}
	if (two_nodes)
		check(moved > 0, "pages migrated between the NUMA nodes");
	if (!read_stats(stats, sizeof(stats))) {
		long inv = stat_of(stats, "invalidations: "),
		     ret = stat_of(stats, "retries: "),
		     ch = stat_of(stats, "chains: ");

		printf("# %s: vq0: chains %ld, batches %ld, hits %ld, "
		       "invalidations %ld, retries %ld, remaps %ld\n",
		       mode_names[mode], ch, stat_of(stats, "batches: "),
		       stat_of(stats, "hits: "), inv, ret,
		       stat_of(stats, "remaps: "));
		check(ch == (long)completed, "vq0 counts the chains reaped");
		if (need) {
			check(inv > 0, "invalidations reported > 0");
			check(ret > 0, "retries reported > 0");
		}
	} else if (need) {
		check(0, "vmeta's debugfs statistics readable");
	}
	check(!io(TEST_RUN, &zero), "TEST_RUN(0)");
	close(fd);
	printf("# %s: huge KiB at start %ld\n", mode_names[mode], huge);
	return failed;
}
