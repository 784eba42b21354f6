/*
 * Host tests for kernel/ksyms.c and tools/gen-ksyms.
 *
 * Besides lookups in hand-made tables, this program is itself linked the
 * way the kernel is (see tests/unit/unit.mk): pass 1 with the empty table
 * from `gen-ksyms --empty`, pass 2 with the table gen-ksyms made from
 * `nm -n --defined-only` of pass 1. So the generated assembly must
 * assemble, define the symbols kernel/ksyms.h expects, and name this
 * program's own functions at their run-time addresses. Run from the repo
 * root: one case runs tools/gen-ksyms.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/ksyms.h"
#include "tests/unit/check.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern const char _etext[];

static const uint64_t addrs[] = { 0x1000, 0x1010, 0x1010, 0x1040, 0x2000 };
static const uint32_t offs[] = { 0, 2, 4, 6, 8 };
static const char names[] = "a\0b\0c\0d\0e";
static const struct ksyms_table table = {
	.count = 5,
	.addrs = addrs,
	.name_offsets = offs,
	.names = names,
	.end = 0x2100,
};

/* Look up addr; returns the name or "ENOENT", and the offset in *off. */
static const char *find(const struct ksyms_table *t, uint64_t addr,
			uint64_t *off)
{
	const char *name = "unset";

	*off = 0xdead;
	if (ksyms_lookup(t, addr, &name, off) == -ENOENT)
		return *off == 0xdead && strcmp(name, "unset") == 0
			       ? "ENOENT"
			       : "ENOENT but wrote";
	return name;
}

static void test_ksyms_lookup(void)
{
	struct ksyms_table empty = { .count = 0, .end = UINT64_MAX };
	struct ksyms_table one = table;
	uint64_t off;

	CHECK(strcmp(find(&table, 0, &off), "ENOENT") == 0);
	CHECK(strcmp(find(&table, 0xfff, &off), "ENOENT") == 0);
	CHECK(strcmp(find(&table, 0x1000, &off), "a") == 0 && off == 0);
	CHECK(strcmp(find(&table, 0x100f, &off), "a") == 0 && off == 0xf);
	/* Aliases at 0x1010: the last one in the table wins. */
	CHECK(strcmp(find(&table, 0x1010, &off), "c") == 0 && off == 0);
	CHECK(strcmp(find(&table, 0x1fff, &off), "d") == 0 && off == 0xfbf);
	CHECK(strcmp(find(&table, 0x20ff, &off), "e") == 0 && off == 0xff);
	CHECK(strcmp(find(&table, 0x2100, &off), "ENOENT") == 0);
	CHECK(strcmp(find(&table, UINT64_MAX, &off), "ENOENT") == 0);
	CHECK(strcmp(find(&empty, 0x1000, &off), "ENOENT") == 0);
	one.count = 1;
	CHECK(strcmp(find(&one, 0x20ff, &off), "a") == 0 && off == 0x10ff);
}

static void test_ksyms_random(void)
{
	static uint64_t a[1000];
	static uint32_t o[1000];
	static char n[1000 * 5];
	struct ksyms_table t = {
		.count = 1000, .addrs = a, .name_offsets = o, .names = n
	};
	uint64_t q, off, at = 0x400000;
	const char *name;
	int i, j, step;

	check_seed(5);
	for (i = 0; i < 1000; i++) {
		at += check_rand_below(64); /* zero gaps make aliases */
		a[i] = at;
		o[i] = (uint32_t)(i * 5);
		snprintf(n + i * 5, 5, "%04u", (unsigned int)i % 10000);
	}
	t.end = at + 100;
	for (step = 0; step < 20000; step++) {
		q = 0x400000 - 50 + check_rand_below(at + 200 - 0x400000);
		for (j = 999; j >= 0 && a[j] > q; j--)
			;
		if (j < 0 || q >= t.end) {
			CHECK(ksyms_lookup(&t, q, &name, &off) == -ENOENT);
			continue;
		}
		CHECK(ksyms_lookup(&t, q, &name, &off) == 0);
		CHECK(name == n + j * 5 && off == q - a[j]);
	}
}

int main(void);

/* Functions that the linked-in table must name. */
__attribute__((noinline)) int ksyms_probe_global(int x)
{
	return x * 3 + 1;
}

static __attribute__((noinline)) int ksyms_probe_static(int x)
{
	return x * 5 + 2;
}

static void test_ksyms_linked_table(void)
{
	const struct ksyms_table t = {
		.count = ksyms_count,
		.addrs = ksyms_addrs,
		.name_offsets = ksyms_name_offsets,
		.names = ksyms_names,
		.end = (uint64_t)(uintptr_t)_etext,
	};
	uint64_t g = (uint64_t)(uintptr_t)ksyms_probe_global;
	uint64_t s = (uint64_t)(uintptr_t)ksyms_probe_static;
	uint64_t m = (uint64_t)(uintptr_t)main;
	uint64_t off;
	uint64_t i;

	CHECK(ksyms_probe_global(1) + ksyms_probe_static(1) == 11);
	CHECK(t.count > 3);
	for (i = 1; i < t.count; i++)
		CHECK(t.addrs[i - 1] < t.addrs[i]);
	CHECK(strcmp(find(&t, g, &off), "ksyms_probe_global") == 0);
	CHECK(off == 0);
	CHECK(strcmp(find(&t, s + 2, &off), "ksyms_probe_static") == 0);
	CHECK(off == 2);
	CHECK(strcmp(find(&t, m + 1, &off), "main") == 0 && off == 1);
	CHECK(strcmp(find(&t, t.end, &off), "ENOENT") == 0);
}

static const char sample_nm[] = "0000000000001000 T _start\\n"
				"0000000000001010 t helper\\n"
				"0000000000001010 T helper_alias\\n"
				"0000000000001020 W weak.fn$1\\n"
				"0000000000001030 T bad-name\\n"
				"0000000000001040 R some_rodata\\n"
				"0000000000001050 D some_data\\n"
				"0000000000001060 w weak_local\\n"
				"garbage line\\n"
				"0000000000001070 t \\n";

/* Run gen-ksyms with args on input; collect .asciz and .quad lines. */
static int gen(const char *args, const char *input, char *out, size_t size)
{
	char cmd[1024];
	char line[256];
	size_t len = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "printf '%s' | tools/gen-ksyms %s", input,
		 args);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	out[0] = '\0';
	while (fgets(line, sizeof(line), p) != NULL) {
		if ((strstr(line, ".asciz") || strstr(line, ".quad")) &&
		    len + strlen(line) < size) {
			strcpy(out + len, line);
			len += strlen(line);
		}
	}
	return pclose(p);
}

static void test_ksyms_gen_filter(void)
{
	char out[1024];

	CHECK(gen("", sample_nm, out, sizeof(out)) == 0);
	CHECK(strcmp(out,
		     "\t.quad 4\n"
		     "\t.quad 0x1000\n\t.quad 0x1010\n\t.quad 0x1020\n"
		     "\t.quad 0x1060\n"
		     "\t.asciz \"_start\"\n\t.asciz \"helper_alias\"\n"
		     "\t.asciz \"weak.fn$1\"\n\t.asciz \"weak_local\"\n") == 0);
	CHECK(gen("--empty", sample_nm, out, sizeof(out)) == 0);
	CHECK(strcmp(out, "\t.quad 0\n") == 0);
	CHECK(gen("", "", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "\t.quad 0\n") == 0);
}

int main(void)
{
	RUN(ksyms_lookup, "edges of a hand-made table: before, at, inside, "
			  "aliases, end, empty");
	RUN(ksyms_random, "20000 random lookups in 1000 symbols match a "
			  "linear scan");
	RUN(ksyms_linked_table, "two-pass link with the gen-ksyms table names "
				"this program's functions");
	RUN(ksyms_gen_filter, "gen-ksyms keeps text symbols only, skips bad "
			      "names, prefers globals, --empty works");
	return check_exit();
}
