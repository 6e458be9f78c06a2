/* recheck.c - the cost of re-checking one patient, without process start-up:
 * runs `engraft --db DB check --as-of DATE --mrn MRN` through ef_cli_main
 * (open the database, load the reference, evaluate and store that patient's
 * alerts, close) N times in this process.
 * usage: recheck DB MRN DATE N   -> prints "best_ms median_ms" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engraft/cli.h"

#include "benchutil.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: recheck DB MRN DATE N\n");
		return 2;
	}
	int n = atoi(argv[4]);
	if (n < 1 || n > 10000)
		return 2;
	double *t = calloc((size_t)n, sizeof *t);
	FILE *out = fdopen(dup(1), "w");
	if (!t || !out || !freopen("/dev/null", "w", stdout))
		return 2;
	for (int i = 0; i < n; i++) {
		char *args[] = {"engraft", "--db", argv[1], "check", "--as-of", argv[3], "--mrn", argv[2], NULL};
		double t0 = now_ms();
		int rc = ef_cli_main(8, args, NULL);
		t[i] = now_ms() - t0;
		if (rc) {
			fprintf(stderr, "recheck: check failed (%d)\n", rc);
			return 1;
		}
	}
	sort_times(t, n);
	fprintf(out, "%.3f %.3f\n", t[0], t[n / 2]);
	fclose(out);
	free(t);
	return 0;
}
