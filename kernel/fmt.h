/*
 * printf-style formatting into a caller's buffer, for the kernel's console,
 * logging and panic paths, which cannot use newlib's stdio.
 *
 * Supported: conversions %d %i %u %x %X %o %p %s %c %%; length modifiers
 * hh h l ll z j t; flags - 0 + space #; field width and precision, each
 * possibly given as *. There is no floating point (the kernel is built
 * with -mgeneral-regs-only) and no %n. %s with NULL prints "(null)" (cut by
 * the precision like any string), %p with NULL prints "(nil)" and otherwise
 * formats like %#lx. The 0 flag pads integers only; %s, %c and NULL
 * pointers are padded with spaces. An unknown conversion is copied to the
 * output as is.
 *
 * The functions use no global state and never block, so they may be called
 * from any context, including interrupt and panic paths.
 */
#ifndef SKIFF_KERNEL_FMT_H
#define SKIFF_KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Format into buf, writing at most size bytes including the terminating
 * NUL; the output is always NUL-terminated when size > 0, and buf may be
 * NULL when size is 0. Returns the length the full output would have had
 * (as C99 vsnprintf), so a result >= size means it was truncated. Returns
 * -ERANGE if that length does not fit in an int.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* As fmt_vsnprintf() with a variable argument list. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SKIFF_KERNEL_FMT_H */
