/* benchrun.c - run a command several times; print the best and median wall
 * time in milliseconds and the peak resident set size of the runs.
 *
 * usage: benchrun [-n RUNS] [-i IN] [-o OUT] [-b SETUP] [-R FILE] -- COMMAND [ARGS]
 *   -n RUNS   number of timed runs (default 3)
 *   -i IN     standard input of the command (default /dev/null; - inherits)
 *   -o OUT    standard output of the command (default /dev/null; - inherits)
 *   -b SETUP  shell command run (untimed) before every run
 *   -R FILE   write the result line to FILE instead of standard output
 * Output: "best_ms median_ms maxrss_kb cpu_ms", cpu_ms the user and system
 * time of a run (the mean of the runs): on a shared machine the wall time
 * also counts the waits for a CPU. Exit 1 if any run fails. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

/* User and system time of the children waited for so far. */
static double children_cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
	int runs = 3;
	const char *in = "/dev/null", *out = "/dev/null", *setup = NULL, *result = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "n:i:o:b:R:")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			setup = optarg;
			break;
		case 'R':
			result = optarg;
			break;
		default:
			fprintf(stderr, "usage: benchrun [-n RUNS] [-i IN] [-o OUT] [-b SETUP] [-R FILE] -- COMMAND [ARGS]\n");
			return 2;
		}
	}
	if (optind >= argc || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: benchrun [-n RUNS] [-i IN] [-o OUT] [-b SETUP] [-R FILE] -- COMMAND [ARGS]\n");
		return 2;
	}
	double *t = calloc((size_t)runs, sizeof *t);
	if (!t)
		return 2;
	double cpu_ms = 0; /* the runs' own, not their setup commands' */
	for (int r = 0; r < runs; r++) {
		if (setup && system(setup) != 0) {
			fprintf(stderr, "benchrun: setup failed: %s\n", setup);
			return 1;
		}
		const double c0 = children_cpu_ms();
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid < 0) {
			perror("benchrun: fork");
			return 1;
		}
		if (pid == 0) {
			int fi = strcmp(in, "-") ? open(in, O_RDONLY) : 0;
			int fo = strcmp(out, "-") ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600) : 1;
			if (fi < 0 || fo < 0 || (fi != 0 && dup2(fi, 0) < 0) || (fo != 1 && dup2(fo, 1) < 0)) {
				perror("benchrun: redirect");
				_exit(127);
			}
			execvp(argv[optind], argv + optind);
			perror("benchrun: exec");
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) < 0) {
			perror("benchrun: wait");
			return 1;
		}
		t[r] = now_ms() - t0;
		cpu_ms += children_cpu_ms() - c0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "benchrun: %s failed (status %d)\n", argv[optind], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			return 1;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	sort_times(t, runs);
	FILE *rf = result ? fopen(result, "w") : stdout;
	if (!rf) {
		perror(result);
		return 1;
	}
	fprintf(rf, "%.2f %.2f %ld %.0f\n", t[0], t[runs / 2], ru.ru_maxrss, cpu_ms / runs);
	if (rf != stdout)
		fclose(rf);
	free(t);
	return 0;
}
