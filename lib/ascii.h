/*
 * Character helpers for parsers of untrusted text (command line, xenstore
 * values). A leaf utility: no dependencies, so every layer may use it, and
 * independent of the C library's locale.
 */
#ifndef LIB_ASCII_H
#define LIB_ASCII_H

/* The value of a decimal or hexadecimal digit (either case), or -1. */
static inline int ascii_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
