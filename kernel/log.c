/*
 * Log line formatting. The line is built in a buffer on the caller's stack
 * and written with one console call, so lines from an upcall and from a
 * thread do not interleave within a line.
 */
#include <stdarg.h>
#include <stddef.h>

#define LOG_TAG "log"
#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/log.h"

#define LOG_LINE_MAX 256

static int runtime_level = LOG_LEVEL;

void log_set_level(int level)
{
	runtime_level = level;
}

void log_vprintf(int level, const char *tag, const char *fmt, va_list ap)
{
	static const char cut[] = " [cut]";
	char line[LOG_LINE_MAX];
	size_t n;
	int len;

	if (level > runtime_level)
		return;
	len = fmt_snprintf(line, sizeof(line), "[%s] ", tag);
	n = len < 0 ? 0 : (size_t)len;
	len = fmt_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (len < 0)
		len = 0;
	if (n + (size_t)len >= sizeof(line) - 1) {
		n = sizeof(line) - sizeof(cut) - 1;
		fmt_snprintf(line + n, sizeof(line) - n, "%s", cut);
		n += sizeof(cut) - 1;
	} else {
		n += (size_t)len;
	}
	line[n++] = '\n';
	console_write(line, n);
}

void log_printf(int level, const char *tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, tag, fmt, ap);
	va_end(ap);
}
