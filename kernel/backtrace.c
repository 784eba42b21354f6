/*
 * Frame-pointer backtraces (everything we build keeps %rbp as the frame
 * pointer; newlib does not, so a trace through newlib may end early).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "backtrace"
#include "arch/x86_64/mm.h"
#include "kernel/backtrace.h"
#include "kernel/fmt.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"

#define MAX_FRAMES 32
#define MAX_FRAME_SIZE (1024 * 1024)

void backtrace_symbolize(uint64_t addr, char *buf, unsigned long size)
{
	const char *name;
	uint64_t off;

	if (ksyms_lookup(ksyms_builtin(), addr, &name, &off) == 0)
		fmt_snprintf(buf, size, "%s+0x%llx", name,
			     (unsigned long long)off);
	else
		fmt_snprintf(buf, size, "?");
}

static void print_frame(int n, uint64_t addr, uint64_t lookup)
{
	char sym[96];

	backtrace_symbolize(lookup, sym, sizeof(sym));
	log_err("  #%d 0x%llx %s", n, (unsigned long long)addr, sym);
}

static int frame_ok(uint64_t rbp, uint64_t prev)
{
	/* prev is 0 for the first frame: nothing to compare it with. */
	return rbp && !(rbp & 7) && rbp > prev &&
	       (!prev || rbp - prev < MAX_FRAME_SIZE) && mm_is_mapped(rbp) &&
	       mm_is_mapped(rbp + 8);
}

static void walk(int n, uint64_t rbp)
{
	uint64_t prev = 0;

	for (; n < MAX_FRAMES && frame_ok(rbp, prev); n++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (!ret)
			break;
		/* A return address can point just past a call that ends
		 * its function: name the call site, ret - 1. */
		print_frame(n, ret, ret - 1);
		prev = rbp;
		rbp = frame[0];
	}
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	print_frame(0, rip, rip);
	walk(1, rbp);
}

/* Is ret the return address of a direct call (e8 rel32) to the function
 * that contains rip? */
static bool returns_from_call_to(uint64_t ret, uint64_t rip)
{
	extern char _text[], _etext[];
	const char *name;
	uint64_t off;
	int32_t rel;

	if (ret < (uint64_t)_text + 5 || ret >= (uint64_t)_etext)
		return false;
	if (*(const uint8_t *)(ret - 5) != 0xe8)
		return false;
	memcpy(&rel, (const void *)(ret - 4), sizeof(rel));
	if (ksyms_lookup(ksyms_builtin(), rip, &name, &off) != 0)
		return false;
	return ret + (uint64_t)(int64_t)rel == rip - off;
}

void backtrace_print_fault(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
	uint64_t top;

	print_frame(0, rip, rip);
	if (!(rsp & 7) && mm_is_mapped(rsp)) {
		top = *(const uint64_t *)rsp;
		if (returns_from_call_to(top, rip)) {
			print_frame(1, top, top - 1);
			walk(2, rbp);
			return;
		}
	}
	walk(1, rbp);
}
