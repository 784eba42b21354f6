/*
 * Latency statistics and the result lines.
 *
 * Every transaction's latency goes into a log-linear histogram instead of
 * a list, so memory stays at ~15 KiB however long the run: values below
 * 128 ns have a bucket each, above that every power of two is split into
 * 64 buckets. A percentile is the middle of the bucket the rank falls in,
 * clamped to the exact minimum and maximum.
 */
#include <stdio.h>
#include <string.h>

#include "netbench.h"

#define LAT_LINEAR 128
#define LAT_SUB_BITS 6
#define LAT_SUB (1u << LAT_SUB_BITS)

static unsigned top_bit(uint64_t v)
{
	unsigned b = 0;

	while (v >>= 1)
		b++;
	return b;
}

static unsigned lat_index(uint64_t ns)
{
	unsigned msb, shift;

	if (ns < LAT_LINEAR)
		return (unsigned)ns;
	msb = top_bit(ns); /* >= 7 */
	shift = msb - LAT_SUB_BITS;
	return LAT_LINEAR + (msb - 7) * LAT_SUB +
	       (unsigned)((ns >> shift) & (LAT_SUB - 1));
}

/* The middle of bucket i. */
static uint64_t lat_value(unsigned i)
{
	unsigned k, shift;
	uint64_t low;

	if (i < LAT_LINEAR)
		return i;
	k = i - LAT_LINEAR;
	shift = k / LAT_SUB + 7 - LAT_SUB_BITS;
	low = (uint64_t)(LAT_SUB + k % LAT_SUB) << shift;
	return low + (((uint64_t)1 << shift) >> 1);
}

void nb_lat_init(struct nb_lat *l)
{
	memset(l, 0, sizeof(*l));
	l->min_ns = UINT64_MAX;
}

void nb_lat_add(struct nb_lat *l, uint64_t ns)
{
	l->bucket[lat_index(ns)]++;
	l->count++;
	l->sum_ns += ns;
	if (ns < l->min_ns)
		l->min_ns = ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
}

uint64_t nb_lat_percentile(const struct nb_lat *l, double p)
{
	uint64_t rank, seen = 0;

	if (l->count == 0)
		return 0;
	rank = (uint64_t)(p / 100.0 * (double)l->count + 0.999999);
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < NB_LAT_BUCKETS; i++) {
		seen += l->bucket[i];
		if (seen >= rank) {
			uint64_t v = lat_value(i);

			if (v < l->min_ns)
				return l->min_ns;
			return v > l->max_ns ? l->max_ns : v;
		}
	}
	return l->max_ns;
}

static void report_stream(const struct nb_result *r)
{
	double mbs = r->secs > 0 ? (double)r->bytes / r->secs / 1e6 : 0;

	printf("netbench: test=%s size=%u bytes=%llu secs=%.2f mb_s=%.2f "
	       "mbit_s=%.1f\n",
	       nb_test_name(r->test), (unsigned)r->size,
	       (unsigned long long)r->bytes, r->secs, mbs, mbs * 8);
	printf("%s: %.1f MB in %.2f s = %.2f MB/s (%.1f Mbit/s)\n",
	       nb_test_name(r->test), (double)r->bytes / 1e6, r->secs, mbs,
	       mbs * 8);
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

static void report_rr(const struct nb_result *r)
{
	const struct nb_lat *l = r->lat;
	double tps = r->secs > 0 ? (double)r->trans / r->secs : 0;
	double p50 = us(nb_lat_percentile(l, 50));
	double p90 = us(nb_lat_percentile(l, 90));
	double p99 = us(nb_lat_percentile(l, 99));
	double mean = l->count ? us(l->sum_ns / l->count) : 0;

	printf("netbench: test=%s size=%u trans=%llu secs=%.2f tps=%.1f "
	       "p50_us=%.1f p90_us=%.1f p99_us=%.1f min_us=%.1f "
	       "max_us=%.1f mean_us=%.1f lost=%llu\n",
	       nb_test_name(r->test), (unsigned)r->size,
	       (unsigned long long)r->trans, r->secs, tps, p50, p90, p99,
	       l->count ? us(l->min_ns) : 0.0, us(l->max_ns), mean,
	       (unsigned long long)r->lost);
	printf("%s: %llu transactions of %u bytes in %.2f s = %.1f/s; "
	       "latency p50 %.1f us, p90 %.1f us, p99 %.1f us",
	       nb_test_name(r->test), (unsigned long long)r->trans,
	       (unsigned)r->size, r->secs, tps, p50, p90, p99);
	if (r->test == NB_UDP_RR)
		printf("; %llu lost", (unsigned long long)r->lost);
	printf("\n");
}

void nb_report(const struct nb_result *r)
{
	if (r->lat)
		report_rr(r);
	else
		report_stream(r);
	fflush(stdout);
}
