// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench: the host setting that decides whether the lab's direct map
 * can live in huge pages.  The lab backs its direct map with shmem; the
 * host gives shmem transparent huge pages only if
 * /sys/kernel/mm/transparent_hugepage/shmem_enabled allows it, and
 * Debian's default is [never].  Then kmap reaches the rings through 4 KiB
 * TLB entries like vmap does, and the rings suite cannot show the point
 * of seed 001.  As root, the bench sets [advise] for the length of the
 * run (only madvise(MADV_HUGEPAGE) regions, the lab's direct map among
 * them, are affected) and puts the old value back at exit; it says so.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"

#define KNOB	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

static char saved[32];		/* the mode to restore, or "" */

/* The bracketed word of the knob into @mode; false if unreadable. */
static bool read_mode(char *mode, size_t len)
{
	char buf[128], *a, *b;
	FILE *f = fopen(KNOB, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) && (a = strchr(buf, '[')) &&
	     (b = strchr(a, ']')) && (size_t)(b - a - 1) < len;
	fclose(f);
	if (ok) {
		*strchr(a, ']') = 0;
		snprintf(mode, len, "%s", a + 1);
	}
	return ok;
}

static bool write_mode(const char *mode)
{
	FILE *f = fopen(KNOB, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(mode, f) >= 0;
	return fclose(f) == 0 && ok;
}

static void restore(void)
{
	if (saved[0] && write_mode(saved))
		saved[0] = 0;
}

static void restore_and_die(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/**
 * bench_host_thp - let shmem have huge pages for this run, if root
 * @allow: false for --no-host-thp: leave the host alone
 *
 * Prints what it found and what it did.  Call before umm_boot().
 */
void bench_host_thp(bool allow)
{
	char mode[32];

	if (!read_mode(mode, sizeof(mode))) {
		printf("host: %s unreadable: the direct map stays in 4 KiB "
		       "pages\n", KNOB);
		return;
	}
	if (strcmp(mode, "never") && strcmp(mode, "deny"))
		return;
	if (!allow || geteuid()) {
		printf("host: shmem_enabled is [%s]%s: the direct map stays in "
		       "4 KiB pages\n", mode, allow ? ", not root" :
		       ", --no-host-thp");
		return;
	}
	snprintf(saved, sizeof(saved), "%s", mode);
	if (!write_mode("advise")) {
		saved[0] = 0;
		printf("host: could not set shmem_enabled to [advise]\n");
		return;
	}
	atexit(restore);
	signal(SIGINT, restore_and_die);
	signal(SIGTERM, restore_and_die);
	printf("host: shmem_enabled was [%s], set to [advise] for this run "
	       "(put back at exit)\n", mode);
}
