/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the msdosfs tests share: images made by mkfs.fat and filled by
 * mcopy, mounting them in the test's kernel, and the referees:
 * fsck.fat -n (must exit 0 and report nothing), mtools reading back, and
 * the FAT copies compared byte for byte.  mtools runs with TZ=UTC and
 * the mount with gmtoff 0, so both keep UTC in the image.
 */
#ifndef _H_MSDOS_H_
#define _H_MSDOS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MNT "/mnt"
#define DEV "/dev/fatimg"

#define PATHF(buf, ...)                                                        \
	do {                                                                   \
		if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >=       \
		    sizeof(buf))                                               \
			TEST_FAIL("path too long");                            \
	} while (0)

/* A new host directory for the case (removed at exit). */
char *msdos_tmpdir(const char *tag);
/* Run a shell command; it must exit 0. */
void msdos_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run a shell command; its exit status. */
int msdos_sh_status(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* mkfs.fat -C img of kib KiB with -F fat and extra options. */
void msdos_mkfs(const char *img, int fat, const char *opts, unsigned kib);
/* Mount img at MNT (registering it once): 0 or -1 with errno. */
int msdos_try_mount(const char *img, int flags, int aflags, int gmtoff);
void msdos_mount(const char *img, int flags);
void msdos_unmount(void);
/* fsck.fat -n must find nothing: exit 0, no message. */
void msdos_fsck_clean(const char *img);
/* Every copy of the FAT the same bytes. */
void msdos_fats_equal(const char *img);
/* The clusters fsck.fat counts as used, and the total. */
void msdos_fsck_counts(const char *img, unsigned long *used,
    unsigned long *total);
/* Deterministic file contents. */
unsigned char msdos_pat(unsigned id, uint64_t off);
/* Write file path (in the kernel) with pattern id, len bytes. */
void msdos_write_pat(const char *path, unsigned id, size_t len);
/* The host file must hold pattern id, len bytes. */
void msdos_check_host_pat(const char *path, unsigned id, size_t len);
/* The kernel file must hold pattern id, len bytes. */
void msdos_check_pat(const char *path, unsigned id, size_t len);

#endif /* _H_MSDOS_H_ */
