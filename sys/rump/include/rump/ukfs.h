/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ukfs, the user kernel file system (libukfs, ukfs(3)): open a file-system
 * image or a partition of a disk image in a rump kernel inside the calling
 * process and work on it by path.  Every operation runs in the kernel's
 * file system code; the host sees only reads and writes of the image file.
 *
 *	struct ukfs *fs;
 *	ukfs_init();
 *	fs = ukfs_mount(NULL, "disk.img:2", NULL, UKFS_RDONLY, NULL, 0);
 *	ukfs_read(fs, "/etc/motd", 0, buf, sizeof(buf));
 *	ukfs_release(fs, 0);
 *
 * Paths are relative to the root of the mounted file system: "/etc",
 * "etc" and "../etc" all name its /etc (".." never leaves the mount).
 * The operations run in a kernel process chrooted to the mount, so the
 * kernel follows symbolic links inside the image as under chroot(2): an
 * absolute target resolves from the image's root and ".." stops there.
 * The mount is always nodev (MS_NODEV): a device node in the image does
 * not open (EACCES).
 *
 * Every call returns -1 (NULL for pointers) and sets errno on failure, with
 * Linux's values; nothing aborts.  Values passed in and out (O_*, S_*,
 * struct stat, struct statvfs, struct timespec, dirent64 records) are the
 * host's.  Calls on one struct ukfs may come from several threads at once;
 * ukfs_release() must be the last.
 */
#ifndef _RUMP_UKFS_H_
#define _RUMP_UKFS_H_

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UKFS_API __attribute__((__visibility__("default")))

struct ukfs;

/*
 * Boot the kernel (rump_init()) if it is not yet: 0, or -1 with errno.
 * Every other call needs it first.
 */
UKFS_API int ukfs_init(void);

/*
 * Mount flags: Linux's MS_* (<sys/mount.h>); these are the usual ones.
 * MS_NODEV is always added.
 */
#define UKFS_RDONLY   0x0001            /* MS_RDONLY */
#define UKFS_NOATIME  0x0400            /* MS_NOATIME */

/* A partition number for ukfs_mount_disk(): none, the whole image. */
#define UKFS_PARTITION_NONE (-1)

/*
 * Mount an image.  fstype is a kernel file-system name ("ffs", "ext2fs",
 * ...), or NULL or "" to detect it from the superblock magic (ukfs_detect).
 * image is a host path, optionally followed by ":N" (partition N of a
 * partitioned disk image, counting from 1 as disk.img:1) or ":LABEL" (the
 * GPT partition of that name); a path that names an existing file as given
 * is taken whole even if it has a colon.  mountpath is where the file
 * system goes in the kernel's namespace, made if missing; NULL picks a
 * fresh one (see ukfs_getmountpath()).  flags are mount flags (UKFS_RDONLY
 * ...).  args and arglen are the file system's mount arguments; with args
 * NULL ukfs builds the default ones for the device (struct ufs_args for
 * ffs and ext2fs).
 *
 * Errors: ENOENT (no image), EISDIR (a directory), EMEDIUMTYPE (fstype
 * not given and not detected), ENXIO (no such partition, or no partition
 * table), EUCLEAN (a partition table too corrupt to use), ENODEV (the
 * file-system type is not linked into the program),
 * EINVAL (not a file system of that type), EROFS (the file system cannot
 * be written: mount with UKFS_RDONLY), and what mount(2) gives.
 */
UKFS_API struct ukfs *ukfs_mount(const char *fstype, const char *image,
    const char *mountpath, int flags, void *args, size_t arglen);
/* The same with the partition as a number (UKFS_PARTITION_NONE: whole). */
UKFS_API struct ukfs *ukfs_mount_disk(const char *fstype, const char *image,
    int partition, const char *mountpath, int flags, void *args,
    size_t arglen);

/*
 * Sync and unmount, remove the image from the kernel and free fs.  With
 * UKFS_RELFLAG_FORCE files still open on the mount are revoked; without
 * it such a mount is EBUSY and fs stays valid.  A failure to write back
 * what was changed is reported (EIO), and fs is gone all the same.
 */
#define UKFS_RELFLAG_FORCE 0x01
UKFS_API int ukfs_release(struct ukfs *fs, int flags);

/*
 * What was mounted: the kernel path of the mount (for direct rump_sys_*
 * calls, which do not run chrooted to it), the file-system type (detected
 * or given), the partition (UKFS_PARTITION_NONE for a whole image).
 */
UKFS_API const char *ukfs_getmountpath(struct ukfs *fs);
UKFS_API const char *ukfs_getfstype(struct ukfs *fs);
UKFS_API int ukfs_getpartition(struct ukfs *fs);

/*
 * Detect the file-system type of a host image (or of partition N of it):
 * "ffs", "ext2fs" ... or NULL with errno EMEDIUMTYPE when no known
 * superblock is there (or what opening the image gave).
 */
UKFS_API const char *ukfs_detect(const char *image, int partition);

/*
 * The partitions of a disk image as the kernel found them (MBR with
 * extended partitions, or GPT): up to n records; returns how many there
 * are (0: no partition table), or -1.
 */
struct ukfs_part {
	int up_index;                   /* its number, as in image:N */
	uint64_t up_offset;             /* bytes from the image's start */
	uint64_t up_size;               /* bytes */
	unsigned up_mbrtype;            /* MBR system id; 0 on GPT */
	char up_label[112];             /* GPT name, UTF-8; "" on MBR */
	const char *up_fstype;          /* detected type or NULL */
};
UKFS_API int ukfs_partitions(const char *image, struct ukfs_part *parts,
    int n);

/*
 * Descriptors.  ukfs_open() opens path like open(2) and returns a kernel
 * descriptor for the calls below (shared by every thread of the program).
 */
UKFS_API int ukfs_open(struct ukfs *fs, const char *path, int oflags,
    mode_t mode);
UKFS_API int ukfs_close(struct ukfs *fs, int fd);
UKFS_API ssize_t ukfs_pread(struct ukfs *fs, int fd, void *buf, size_t n,
    off_t off);
UKFS_API ssize_t ukfs_pwrite(struct ukfs *fs, int fd, const void *buf,
    size_t n, off_t off);
UKFS_API ssize_t ukfs_read_fd(struct ukfs *fs, int fd, void *buf, size_t n);
UKFS_API ssize_t ukfs_write_fd(struct ukfs *fs, int fd, const void *buf,
    size_t n);
UKFS_API int ukfs_fstat(struct ukfs *fs, int fd, struct stat *st);
UKFS_API int ukfs_ftruncate(struct ukfs *fs, int fd, off_t len);
/* lseek(2), SEEK_DATA and SEEK_HOLE included: the new offset, or -1. */
UKFS_API off_t ukfs_lseek(struct ukfs *fs, int fd, off_t off, int whence);
UKFS_API int ukfs_fsync(struct ukfs *fs, int fd);
/* getdents64(2) on a directory descriptor: dirent64 records. */
UKFS_API ssize_t ukfs_getdents_fd(struct ukfs *fs, int fd, void *buf,
    size_t n);

/*
 * By path.  ukfs_read() and ukfs_write() move n bytes at off of a file
 * (open, pread/pwrite, close); ukfs_write() does not create.
 * ukfs_create() makes a regular file (EEXIST if there is one).
 */
UKFS_API ssize_t ukfs_read(struct ukfs *fs, const char *path, off_t off,
    void *buf, size_t n);
UKFS_API ssize_t ukfs_write(struct ukfs *fs, const char *path, off_t off,
    const void *buf, size_t n);
UKFS_API int ukfs_create(struct ukfs *fs, const char *path, mode_t mode);
UKFS_API int ukfs_mknod(struct ukfs *fs, const char *path, mode_t mode,
    dev_t dev);

/*
 * Directories.  ukfs_getdents() reads dirent64 records of directory path
 * from *off (0 first) and sets *off where the next call goes on; 0 at
 * the end.  ukfs_opendir()/ukfs_readdir() walk one entry at a time:
 * readdir returns 1 with *de filled, 0 at the end, -1 on error; "." and
 * ".." are included as the file system gives them.
 */
UKFS_API ssize_t ukfs_getdents(struct ukfs *fs, const char *path,
    off_t *off, void *buf, size_t n);

struct ukfs_dir;
struct ukfs_dirent {
	uint64_t ud_ino;
	unsigned char ud_type;          /* DT_REG, DT_DIR ... */
	char ud_name[256];
};
UKFS_API struct ukfs_dir *ukfs_opendir(struct ukfs *fs, const char *path);
UKFS_API int ukfs_readdir(struct ukfs_dir *d, struct ukfs_dirent *de);
UKFS_API void ukfs_closedir(struct ukfs_dir *d);

/* The path calls, as the system calls of the same name. */
UKFS_API int ukfs_stat(struct ukfs *fs, const char *path, struct stat *st);
UKFS_API int ukfs_lstat(struct ukfs *fs, const char *path, struct stat *st);
UKFS_API int ukfs_mkdir(struct ukfs *fs, const char *path, mode_t mode);
UKFS_API int ukfs_remove(struct ukfs *fs, const char *path);
UKFS_API int ukfs_rmdir(struct ukfs *fs, const char *path);
UKFS_API int ukfs_rename(struct ukfs *fs, const char *from, const char *to);
/* A hard link "to" of the existing file "from". */
UKFS_API int ukfs_link(struct ukfs *fs, const char *from, const char *to);
/* A symbolic link at path whose target is the string target. */
UKFS_API int ukfs_symlink(struct ukfs *fs, const char *target,
    const char *path);
/* The target, NUL-terminated when it fits; its length (as readlink). */
UKFS_API ssize_t ukfs_readlink(struct ukfs *fs, const char *path, char *buf,
    size_t n);
UKFS_API int ukfs_chmod(struct ukfs *fs, const char *path, mode_t mode);
UKFS_API int ukfs_lchmod(struct ukfs *fs, const char *path, mode_t mode);
UKFS_API int ukfs_chown(struct ukfs *fs, const char *path, uid_t uid,
    gid_t gid);
UKFS_API int ukfs_lchown(struct ukfs *fs, const char *path, uid_t uid,
    gid_t gid);
/*
 * Access and modification times in nanoseconds, as utimensat(2): ts NULL
 * for now, UTIME_NOW and UTIME_OMIT in tv_nsec; ukfs_lutimens() does not
 * follow a final symbolic link.
 */
UKFS_API int ukfs_utimens(struct ukfs *fs, const char *path,
    const struct timespec ts[2]);
UKFS_API int ukfs_lutimens(struct ukfs *fs, const char *path,
    const struct timespec ts[2]);
UKFS_API int ukfs_truncate(struct ukfs *fs, const char *path, off_t len);
UKFS_API int ukfs_access(struct ukfs *fs, const char *path, int amode);
/* The mounted file system's figures. */
UKFS_API int ukfs_statvfs(struct ukfs *fs, struct statvfs *sv);
/* Write everything changed so far to the image. */
UKFS_API int ukfs_sync(struct ukfs *fs);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_UKFS_H_ */
