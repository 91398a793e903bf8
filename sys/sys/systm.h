/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel's own C library: string and memory routines, formatted
 * output, panic and assertions, and copying to and from clients.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/param.h>

struct lwp;

/* subr_string.c */
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
void *memchr(const void *, int, size_t);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strchr(const char *, int);
char *strrchr(const char *, int);
size_t strlcpy(char *, const char *, size_t);
size_t strlcat(char *, const char *, size_t);
/*
 * Kernel code is built freestanding, so the compiler calls these for
 * every use; through the builtins it copies a field of known size in
 * place and calls the functions above only for the rest.
 */
#ifndef _SUBR_STRING_
#define memcpy(d, s, n)  __builtin_memcpy(d, s, n)
#define memmove(d, s, n) __builtin_memmove(d, s, n)
#define memset(d, c, n)  __builtin_memset(d, c, n)
#define memcmp(a, b, n)  __builtin_memcmp(a, b, n)
#endif
/* Parse a decimal or 0x number with an optional k/m/g suffix. */
int strtoull_sfx(const char *, unsigned long long *);
int strtoll_dec(const char *, long long *);

/* subr_prf.c */
int printf(const char *, ...) __printflike(1, 2);
int vprintf(const char *, va_list);
int snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int vsnprintf(char *, size_t, const char *, va_list);
/* One line to the console when booted verbose, prefixed with the caller. */
void aprint_verbose(const char *, ...) __printflike(1, 2);
/* A log line: errors worth telling about (a corrupt image, a bad packet). */
#define LOG_ERR     3
#define LOG_WARNING 4
#define LOG_NOTICE  5
#define LOG_INFO    6
#define LOG_DEBUG   7
/*
 * A line equal to one printed in the last few seconds is held back and
 * counted; the next copy printed says how many were (subr_prf.c).
 */
void log(int, const char *, ...) __printflike(2, 3);
void log_init(void);
void panic(const char *, ...) __printflike(1, 2) __noreturn;
extern int boothowto_verbose;
/* Log lines above this level are dropped (RUMP_LOGLEVEL, 0-7). */
extern int log_maxlevel;

#define KASSERT(e)                                                             \
	((e) ? (void)0                                                         \
	     : panic("kernel assertion \"%s\" failed: file \"%s\", line %d",   \
		   #e, __FILE__, __LINE__))
#define KASSERTMSG(e, fmt, ...)                                                \
	((e) ? (void)0                                                         \
	     : panic("kernel assertion \"%s\" failed: file \"%s\", line %d: " fmt, \
		   #e, __FILE__, __LINE__, ##__VA_ARGS__))
#define CTASSERT(e) _Static_assert(e, #e)

/*
 * kern_copy.c: clients share the kernel's address space, so copying is a
 * memory copy.  What can be checked is: NULL and the first page are
 * EFAULT, a string longer than the limit is ENAMETOOLONG.
 */
int copyin(const void *uaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *uaddr, size_t len);
int copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);
int copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done);

/* Scheduling: rump.c and scheduler.c */
void yield(void);
extern int ncpu;
extern int hz;
extern char hostname[MAXHOSTNAMELEN];
extern size_t hostnamelen;

/* Time since boot, from the host's monotonic clock. */
uint64_t getnsecuptime(void);
/* Ticks since boot: computed from the clock, so an idle kernel need not tick. */
int getticks(void);
/* Nanoseconds to ticks, rounded up (a timeout never fires early). */
int nstohz(uint64_t ns);

#endif /* _SYS_SYSTM_H_ */
