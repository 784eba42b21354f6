/*
 * insn_count - a QEMU TCG plugin that counts executed guest instructions.
 *
 * Built by tools/deps into build/deps/qemu-plugin/libinsn_count.so against
 * the qemu-plugin.h of Debian's QEMU 7.2; loaded by tools/bootlab
 * --plugin-count. Arguments (all optional):
 *
 *   start=<hex vaddr>  start counting at the first execution of this address
 *   stop=<hex vaddr>   stop at the first execution of this address (after
 * start) lowhalf=on         count only code below 0x0000800000000000 (the guest
 *                      kernel; Xen runs in the upper half)
 *
 * Output, on stderr, once: when stop is reached, or else at QEMU's exit:
 *   insn_count: <N> instructions (<range description>)
 *
 * How it counts: every translation block gets an inline "add n_insns" to one
 * 64-bit counter, which is cheap and, for the same guest code, gives the same
 * number on every run. The start and stop instructions additionally get an
 * exec callback (run before the instruction) which takes a snapshot of the
 * counter, corrected for the position of the instruction inside its block:
 * the block's add has already counted the instructions of the block that
 * come after it. The range [start, stop) is the difference of the snapshots.
 * A block left early by a fault is counted whole (as in QEMU's own "insn"
 * plugin). The counter is shared, so use -smp 1.
 *
 * Lower-half addresses are also run by the firmware and by Xen's early boot
 * code (Xen is loaded at 2 MiB physical and runs there identity-mapped before
 * it jumps to its upper-half mapping): guest kernels linked at 2 MiB would
 * match their start address in Xen's entry code. So lower-half code only
 * counts for lowhalf=on, and only matches start/stop, once Xen has run in
 * the upper half; it never runs low code after that (no APs with -smp 1).
 * The decision is taken when a block is translated.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define INSN_COUNT_LOWHALF_END 0x0000800000000000ULL

enum mark { MARK_START, MARK_STOP };

/* One per translation of the start or stop instruction. */
struct mark_site {
	enum mark kind;
	/* Instructions of this block counted by its add but not yet run. */
	uint64_t pending;
};

static struct insn_count_state {
	uint64_t count; /* inline adds go here */
	bool have_start, have_stop, lowhalf;
	uint64_t start, stop;
	bool started;  /* start seen (always true without start=) */
	bool xen_high; /* code in the upper half has run */
	bool reported;
	uint64_t at_start; /* count before the start instruction */
} st;

static bool is_low(uint64_t vaddr)
{
	return vaddr < INSN_COUNT_LOWHALF_END;
}

/* Lower-half code is the guest's only once Xen runs in the upper half. */
static bool is_guest_time(uint64_t vaddr)
{
	return !is_low(vaddr) || st.xen_high;
}

static bool counts(uint64_t vaddr)
{
	return !st.lowhalf || (is_low(vaddr) && st.xen_high);
}

static void on_high_exec(unsigned int vcpu, void *opaque)
{
	(void)vcpu;
	(void)opaque;
	st.xen_high = true;
}

static void describe(char *buf, size_t len, bool stopped)
{
	const char *half = st.lowhalf ? ", lower half only" : "";
	char from[32], to[64];

	if (!st.have_start && !st.have_stop) {
		snprintf(buf, len, "whole run%s", half);
		return;
	}
	if (!st.started) {
		snprintf(buf, len, "start 0x%" PRIx64 " never reached%s",
			 st.start, half);
		return;
	}
	if (st.have_start)
		snprintf(from, sizeof(from), "start 0x%" PRIx64, st.start);
	else
		snprintf(from, sizeof(from), "boot");
	if (stopped)
		snprintf(to, sizeof(to), "stop 0x%" PRIx64, st.stop);
	else if (st.have_stop)
		snprintf(to, sizeof(to), "exit, stop 0x%" PRIx64 " not reached",
			 st.stop);
	else
		snprintf(to, sizeof(to), "exit");
	snprintf(buf, len, "%s to %s%s", from, to, half);
}

static void report(uint64_t n, bool stopped)
{
	char what[160];

	if (st.reported)
		return;
	st.reported = true;
	describe(what, sizeof(what), stopped);
	fprintf(stderr, "insn_count: %" PRIu64 " instructions (%s)\n", n, what);
	fflush(stderr);
}

static void on_mark(unsigned int vcpu, void *opaque)
{
	const struct mark_site *site = opaque;
	uint64_t before = st.count - site->pending;

	(void)vcpu;
	if (st.reported)
		return;
	if (site->kind == MARK_START && !st.started) {
		st.started = true;
		st.at_start = before;
	} else if (site->kind == MARK_STOP && st.started) {
		report(before - st.at_start, true);
	}
}

static void add_mark(struct qemu_plugin_insn *insn, enum mark kind,
		     uint64_t pending)
{
	struct mark_site *site = malloc(sizeof(*site));

	if (!site)
		return;
	site->kind = kind;
	site->pending = pending;
	qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
					       QEMU_PLUGIN_CB_NO_REGS, site);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t tb_va = qemu_plugin_tb_vaddr(tb);
	bool counted = counts(tb_va);
	size_t i;

	(void)id;
	if (!st.xen_high && !is_low(tb_va))
		qemu_plugin_register_vcpu_tb_exec_cb(
			tb, on_high_exec, QEMU_PLUGIN_CB_NO_REGS, NULL);
	if (counted)
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, &st.count, n);
	if ((!st.have_start && !st.have_stop) || !is_guest_time(tb_va))
		return;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint64_t pending = counted ? n - i : 0;

		if (st.have_start && va == st.start)
			add_mark(insn, MARK_START, pending);
		if (st.have_stop && va == st.stop)
			add_mark(insn, MARK_STOP, pending);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *opaque)
{
	(void)id;
	(void)opaque;
	report(st.started ? st.count - st.at_start : 0, false);
}

static bool parse_hex(const char *s, uint64_t *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtoull(s, &end, 16);
	return *end == '\0';
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "start=", 6) == 0 &&
		    parse_hex(a + 6, &st.start)) {
			st.have_start = true;
		} else if (strncmp(a, "stop=", 5) == 0 &&
			   parse_hex(a + 5, &st.stop)) {
			st.have_stop = true;
		} else if (strcmp(a, "lowhalf=on") == 0) {
			st.lowhalf = true;
		} else if (strcmp(a, "lowhalf=off") == 0) {
			st.lowhalf = false;
		} else {
			fprintf(stderr,
				"insn_count: bad argument '%s' (want "
				"start=HEX, stop=HEX, lowhalf=on|off)\n",
				a);
			return -1;
		}
	}
	st.started = !st.have_start;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
