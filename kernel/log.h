/*
 * Levelled log lines: "[tag] message". Each .c file defines LOG_TAG
 * before including this header. LOG_LEVEL (make variable) is the
 * compile-time floor; log_set_level() (the "loglevel=" command-line
 * option) moves the runtime level within it.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stdarg.h>

#define LOG_ERR 0
#define LOG_WARN 1
#define LOG_INFO 2
#define LOG_DEBUG 3

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

#ifndef LOG_TAG
#error "define LOG_TAG before including kernel/log.h"
#endif

/* Format and write one line. Any context; lines longer than 256 bytes are
 * cut (and say so). */
void log_printf(int level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vprintf(int level, const char *tag, const char *fmt, va_list ap);
void log_set_level(int level);

#define log_at(level, ...)                                         \
	do {                                                       \
		if ((level) <= LOG_LEVEL)                          \
			log_printf((level), LOG_TAG, __VA_ARGS__); \
	} while (0)
#define log_err(...) log_at(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_at(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

#endif
