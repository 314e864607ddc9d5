// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "peers": Linux's own ring benchmarks
 * (tools/virtio/ringtest from Debian's linux-source-6.1, built at bench
 * time by scripts/peers.sh) against our engine, pinned the same way:
 * guest on CPU 0, host on CPU 1, batches of 32.  ns per buffer.
 */
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <linux/kernel.h>
#include "bench.h"

#define CYCLES	2000000

extern char **environ;

static const char *const peers[] = { "virtio_ring_0_9", "ring" };

/* ns per buffer of one run of @prog, or a negative value. */
static double run_peer(const char *dir, const char *prog, long cycles)
{
	char path[600], cyc[32];
	char *argv[] = { path, "--host-affinity", "1", "--guest-affinity",
			 "0", "--batch", "32", "--run-cycles", cyc, NULL };
	double t0;
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, prog);
	snprintf(cyc, sizeof(cyc), "%ld", cycles);
	t0 = bench_now_ns();
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ))
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return (bench_now_ns() - t0) / cycles;
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
	struct bench_result r[ARRAY_SIZE(peers) + 2] = { 0 };
	long cycles = CYCLES * o->scale;
	char dir[512];
	unsigned int i;
	int k;

	if (peers_dir(dir, sizeof(dir))) {
		printf("\n== peers: could not build tools/virtio/ringtest; "
		       "skipped\n");
		return 0;
	}
	printf("\n== peers: ns per buffer, guest CPU 0, host CPU 1, batch 32: "
	       "Linux's tools/virtio/ringtest (6.1) and our engine\n");
	for (k = 0; k < o->runs; k++) {
		for (i = 0; i < ARRAY_SIZE(peers); i++)
			r[i].runs[r[i].nr_runs++] = run_peer(dir, peers[i],
							      cycles);
		r[i].runs[r[i].nr_runs++] =
			1e3 / bench_chain2_once(VMETA_RAW);
		r[i + 1].runs[r[i + 1].nr_runs++] =
			1e3 / bench_chain2_once(VMETA_KMAP);
	}
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i].bench = "peers";
		r[i].name = i < ARRAY_SIZE(peers) ? peers[i] :
			    i == ARRAY_SIZE(peers) ? "vmeta-raw" : "vmeta-kmap";
		r[i].unit = "ns/chain";
		bench_summarise(&r[i]);
		if (r[i].min < 0)
			printf("  %s failed to run\n", r[i].name);
	}
	bench_report(r, ARRAY_SIZE(r), &r[ARRAY_SIZE(peers)], NULL, NULL,
		     true);
	printf("  vmeta-kmap / virtio_ring_0_9 = %.2f per buffer (target "
	       "<= 1.25)\n", r[ARRAY_SIZE(peers) + 1].median / r[0].median);
	return 0;
}
