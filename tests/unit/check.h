/*
 * Minimal harness for host unit tests.
 *
 * A test case is a void function that uses CHECK(); RUN() runs it and
 * prints exactly one line for it:
 *   PASS unit/<name>: <what it shows>
 *   FAIL unit/<name>: <file>:<line> <failed expression>
 * The first failed CHECK() ends the case. Helpers that check things return
 * early after a failure; call CHECK_OK() after them to stop the case too.
 * main() ends with `return check_exit();`, which is 3 if any case failed
 * (other non-zero statuses, such as a sanitizer's 1, tell the runner in
 * tests/unit/unit.mk that the program died). Each test program is a single
 * translation unit, so the state below is static.
 */
#ifndef SKIFF_TESTS_UNIT_CHECK_H
#define SKIFF_TESTS_UNIT_CHECK_H

#include <stdio.h>

static const char *check_where_file;
static int check_where_line;
static const char *check_where_expr;
static int check_failed_cases;

#define CHECK(cond)                                            \
	do {                                                   \
		if (!(cond)) {                                 \
			check_fail(__FILE__, __LINE__, #cond); \
			return;                                \
		}                                              \
	} while (0)

/* Stop the current case if a helper it called has failed. */
#define CHECK_OK()                            \
	do {                                  \
		if (check_where_expr != NULL) \
			return;               \
	} while (0)

static inline void check_fail(const char *file, int line, const char *expr)
{
	if (check_where_expr != NULL)
		return; /* keep the first failure */
	check_where_file = file;
	check_where_line = line;
	check_where_expr = expr;
}

static inline void check_run(const char *name, const char *what,
			     void (*fn)(void))
{
	check_where_expr = NULL;
	fn();
	if (check_where_expr == NULL) {
		printf("PASS unit/%s: %s\n", name, what);
	} else {
		printf("FAIL unit/%s: %s:%d %s\n", name, check_where_file,
		       check_where_line, check_where_expr);
		check_failed_cases++;
	}
	fflush(stdout);
}

#define RUN(name, what) check_run(#name, what, test_##name)

static inline int check_exit(void)
{
	return check_failed_cases != 0 ? 3 : 0;
}

/* Small deterministic PRNG (xorshift64*) for randomized tests. */
static unsigned long long check_rng_state = 0x9e3779b97f4a7c15ull;

static inline void check_seed(unsigned long long seed)
{
	check_rng_state = seed != 0 ? seed : 1;
}

static inline unsigned long long check_rand(void)
{
	check_rng_state ^= check_rng_state >> 12;
	check_rng_state ^= check_rng_state << 25;
	check_rng_state ^= check_rng_state >> 27;
	return check_rng_state * 0x2545f4914f6cdd1dull;
}

/* Uniform-ish value in [0, n), n > 0. */
static inline unsigned long long check_rand_below(unsigned long long n)
{
	return check_rand() % n;
}

#endif /* SKIFF_TESTS_UNIT_CHECK_H */
