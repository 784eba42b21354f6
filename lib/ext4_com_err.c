/*
 * com_err(), which libext2fs calls to report what it finds wrong while
 * it works (a block freed twice, a bitmap out of range): one log line
 * here, with the error's text from libext2fs's table. The rest of the
 * com_err library (error tables, hooks) is not needed: lib/ext4_err.c
 * reads the table directly.
 */
#include <stdarg.h>
#include <stdio.h>

#include <et/com_err.h>

#define LOG_TAG "ext4"
#include "kernel/log.h"
#include "lib/ext4_err.h"

void com_err(const char *whoami, errcode_t code, const char *fmt, ...)
{
	const char *text = ext4_err_text(code);
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt ? fmt : "", ap);
	va_end(ap);
	log_warn("%s: %s%s%s", whoami ? whoami : "libext2fs", text ? text : "",
		 text && msg[0] ? " " : "", msg);
}
