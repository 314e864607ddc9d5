// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench: PNG plots of the suites with gnuplot, one per suite, from
 * the results gathered in the run (median with min..max error bars).
 */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static int write_dat(const char *path, const char *bench)
{
	const struct bench_result *r;
	FILE *f = fopen(path, "w");
	int i, n = 0;

	if (!f)
		return -1;
	for (i = 0; (r = bench_result_at(i)); i++) {
		if (strcmp(r->bench, bench))
			continue;
		fprintf(f, "%d \"%s\" %.4f %.4f %.4f\n", n++, r->name,
			r->median, r->min, r->max);
	}
	fclose(f);
	return n;
}

static const char *unit_of(const char *bench)
{
	const struct bench_result *r;
	int i;

	for (i = 0; (r = bench_result_at(i)); i++)
		if (!strcmp(r->bench, bench))
			return r->unit;
	return "";
}

/* One bar chart per suite: build/results/<suite>.png. */
int bench_plot(const char *dir)
{
	static const char *const suites[] = {
		"access", "chain1", "chain2", "inval", "rings", "peers" };
	char dat[512], png[512], cmd[2048];
	unsigned int i;
	int n, done = 0;

	if (system("command -v gnuplot >/dev/null 2>&1"))
		return -1;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		snprintf(dat, sizeof(dat), "%s/%s.dat", dir, suites[i]);
		snprintf(png, sizeof(png), "%s/%s.png", dir, suites[i]);
		n = write_dat(dat, suites[i]);
		if (n <= 0)
			continue;
		snprintf(cmd, sizeof(cmd),
			 "gnuplot -e \"set terminal png size %d,480; "
			 "set output '%s'; set title 'vmeta bench: %s'; "
			 "set ylabel '%s (median, min..max)'; set style fill "
			 "solid 0.5; set boxwidth 0.6; set xtics rotate by -40; "
			 "set yrange [0:*]; set grid y; "
			 "plot '%s' using 1:3:xtic(2) with boxes notitle, "
			 "'' using 1:3:4:5 with yerrorbars notitle\"",
			 n > 12 ? 1200 : 800, png, suites[i],
			 unit_of(suites[i]), dat);
		if (!system(cmd)) {
			printf("plot: %s\n", png);
			done++;
		}
	}
	return done;
}
