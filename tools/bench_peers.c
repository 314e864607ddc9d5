// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "peers": Linux's own ring benchmarks, built at bench
 * time from Debian's linux-source-6.1 by scripts/peers.sh, against our
 * engine, ns per buffer:
 *
 *   ring, virtio_ring_0_9  tools/virtio/ringtest: guest on CPU 0, host on
 *                          CPU 1, batches of 32, polling
 *   vringh                 tools/virtio/vringh_test --parallel --eventidx
 *                          --virtio-1 --fast-vringh: the kernel's host
 *                          library vringh (user accessors of the tools
 *                          build: plain loads after a range check) and the
 *                          guest's virtio_ring, two processes on the first
 *                          and last CPU, 10^7 buffers, a pipe when one side
 *                          waits
 *   vmeta-raw, vmeta-kmap  our chain2: guest thread on CPU 0, host on CPU 1
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kernel.h>
#include "bench.h"

#define CYCLES		2000000
#define VRINGH_XFERS	10000000	/* vringh_test's NUM_XFERS */

extern char **environ;

enum { P_RING_0_9, P_RING, P_VRINGH, P_RAW, P_KMAP, NR_PEERS };

static const char *const names[NR_PEERS] = {
	"virtio_ring_0_9", "ring", "vringh", "vmeta-raw", "vmeta-kmap",
};

#define VRINGH_RUNS	3	/* ~3 s each here: at most this many */

/* ns per buffer of a run of @argv that moves @buffers, or -1. */
static double timed(char **argv, long buffers)
{
	posix_spawn_file_actions_t quiet;
	double t0, ns;
	int status;
	pid_t pid;

	posix_spawn_file_actions_init(&quiet);
	posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
	t0 = bench_now_ns();
	if (posix_spawn(&pid, argv[0], &quiet, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&quiet);
		return -1;
	}
	posix_spawn_file_actions_destroy(&quiet);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	ns = bench_now_ns() - t0;
	return ns / buffers;
}

/* One run of ringtest's @prog. */
static double run_ringtest(const char *dir, const char *prog, long cycles)
{
	char path[600], cyc[32];
	char *argv[] = { path, "--host-affinity", "1", "--guest-affinity",
			 "0", "--batch", "32", "--run-cycles", cyc, NULL };

	snprintf(path, sizeof(path), "%s/ringtest/%s", dir, prog);
	snprintf(cyc, sizeof(cyc), "%ld", cycles);
	return timed(argv, cycles);
}

/* One run of vringh_test, or -1 if it was not built. */
static double run_vringh(const char *dir)
{
	char path[600];
	char *argv[] = { path, "--parallel", "--eventidx", "--virtio-1",
			 "--fast-vringh", NULL };

	snprintf(path, sizeof(path), "%s/linux/tools/virtio/vringh_test", dir);
	if (access(path, X_OK))
		return -1;
	return timed(argv, VRINGH_XFERS);
}

static int peers_dir(char *dir, size_t len)
{
	FILE *p = popen("scripts/peers.sh", "r");
	int ok;

	if (!p)
		return -1;
	ok = fgets(dir, len, p) != NULL;
	if (pclose(p) || !ok)
		return -1;
	dir[strcspn(dir, "\n")] = 0;
	return 0;
}

int bench_suite_peers(const struct bench_opts *o)
{
	struct bench_result r[NR_PEERS] = { 0 };
	long cycles = CYCLES * o->scale;
	char dir[512];
	int i, k;

	if (peers_dir(dir, sizeof(dir))) {
		printf("\n== peers: could not build Linux's tools/virtio; "
		       "skipped\n");
		return 0;
	}
	printf("\n== peers: ns per buffer: Linux's tools/virtio/ringtest and "
	       "vringh_test (6.1) and our engine, guest CPU 0, host CPU 1\n");
	for (k = 0; k < o->runs; k++) {
		for (i = P_RING_0_9; i <= P_RING; i++)
			r[i].runs[r[i].nr_runs++] = run_ringtest(dir, names[i],
								  cycles);
		if (k < VRINGH_RUNS)
			r[P_VRINGH].runs[r[P_VRINGH].nr_runs++] =
				run_vringh(dir);
		r[P_RAW].runs[r[P_RAW].nr_runs++] =
			1e3 / bench_chain2_once(VMETA_RAW);
		r[P_KMAP].runs[r[P_KMAP].nr_runs++] =
			1e3 / bench_chain2_once(VMETA_KMAP);
	}
	for (i = 0; i < NR_PEERS; i++) {
		r[i].bench = "peers";
		r[i].name = names[i];
		r[i].unit = "ns/chain";
		bench_summarise(&r[i]);
		if (r[i].min < 0)
			printf("  %s failed to run (or was not built)\n",
			       r[i].name);
	}
	bench_report(r, NR_PEERS, &r[P_RAW], NULL, NULL, true);
	printf("  vmeta-kmap / virtio_ring_0_9 = %.2f per buffer (target "
	       "<= 1.25); vmeta-kmap / vringh = %.2f\n",
	       r[P_KMAP].median / r[P_RING_0_9].median,
	       r[P_KMAP].median / r[P_VRINGH].median);
	return 0;
}
