/* benchutil.h - the timing helpers the benchmark's C tools share. */
#ifndef ENGRAFT_BENCHUTIL_H
#define ENGRAFT_BENCHUTIL_H

#include <stdlib.h>
#include <time.h>

/* Monotonic wall time in milliseconds. */
static inline double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sort n run times; the best is t[0], the median t[n / 2]. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static inline void sort_times(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
}

#endif
