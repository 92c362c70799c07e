/* Shared by the benchmark programs: a nanosecond clock and sorting for percentiles. */
#pragma once

#include <time.h>

/* Microseconds from a nanosecond clock: a render takes tens of microseconds, so
 * g_get_monotonic_time()'s whole-microsecond ticks are too coarse. */
static inline double
bench_now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline int
bench_compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}
