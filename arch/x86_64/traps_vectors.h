/* Pseudo vector numbers shared by traps_entry.S and traps.h. */
#ifndef ARCH_X86_64_TRAPS_VECTORS_H
#define ARCH_X86_64_TRAPS_VECTORS_H
#define ARCH_VEC_UPCALL 256
#define ARCH_VEC_FAILSAFE 257
#define ARCH_VEC_STACK_OVERFLOW 258
#endif
