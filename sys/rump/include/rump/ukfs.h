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
 * The original's calls are here with its signatures (ukfs_open,
 * ukfs_read_fd, ukfs_write_fd, ukfs_opendir/ukfs_closedir,
 * ukfs_mount_disk with a struct ukfs_part); where ours differed, ours
 * have other names (ukfs_open_mode, ukfs_fdread, ukfs_fdwrite,
 * ukfs_diropen/ukfs_dirclose, ukfs_mount_part).
 *
 * Paths are relative to the root of the mounted file system: "/etc",
 * "etc" and "../etc" all name its /etc (".." never leaves the mount);
 * after ukfs_chdir() a relative path goes on from that directory.
 * The operations run in a kernel process chrooted to the mount, so the
 * kernel follows symbolic links inside the image as under chroot(2): an
 * absolute target resolves from the image's root and ".." stops there.
 * The mount is always nodev (MS_NODEV): a device node in the image does
 * not open (EACCES).
 *
 * Every call returns -1 (NULL for pointers) and sets errno on failure, with
 * Linux's values; nothing aborts; a call on a NULL handle is EINVAL.
 * Values passed in and out (O_*, S_*, struct stat, struct statvfs, struct
 * timespec, dirent64 records) are the host's.  Calls on one struct ukfs
 * may come from several threads at once; ukfs_release() must be the last.
 */
#ifndef _RUMP_UKFS_H_
#define _RUMP_UKFS_H_

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UKFS_API __attribute__((__visibility__("default")))

struct mount;
struct vnode;
struct ukfs;
struct ukfs_dircookie;
struct ukfs_part;

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

/* A partition number for ukfs_mount_part(): none, the whole image. */
#define UKFS_PARTITION_NONE (-1)

/* The original's mount point for a program that mounts one. */
#define UKFS_DEFAULTMP "/ukfs"

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
 * ffs and ext2fs).  As in the original, arguments whose fspec is the
 * host image path (image as given, or without its ":N") are passed with
 * the kernel's device for it instead.  A file system with no device
 * (tmpfs) ignores image, which may be NULL, and gets args as they are.
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
UKFS_API struct ukfs *ukfs_mount_part(const char *fstype, const char *image,
    int partition, const char *mountpath, int flags, void *args,
    size_t arglen);
/* The same with a GPT partition by name. */
UKFS_API struct ukfs *ukfs_mount_label(const char *fstype, const char *image,
    const char *label, const char *mountpath, int flags, void *args,
    size_t arglen);

/*
 * The original's partition handles.  ukfs_part_probe(devpath, &part)
 * takes the partition out of a device path written "image:N" or
 * "image:LABEL" (cutting devpath at the colon) and gives a handle for
 * ukfs_mount_disk(); a path with none gives ukfs_part_none.  The
 * original's "%DISKLABEL:" and "%OFFSET:" forms are ENODEV.
 * ukfs_part_tostring() writes "N", the label or "none" as snprintf(3)
 * does; ukfs_part_release() frees a handle.  UKFS_PARTITION_ARGVPROBE
 * (part) probes the next to last argument of a command line when there
 * are at least two (argc, argv in scope), and exits with err(3) (include
 * <err.h>) if it cannot; else *part is NULL, the whole image.
 */
UKFS_API extern struct ukfs_part *ukfs_part_none;
UKFS_API extern struct ukfs_part *ukfs_part_na;
UKFS_API int ukfs_part_probe(char *devpath, struct ukfs_part **partp);
UKFS_API void ukfs_part_release(struct ukfs_part *part);
UKFS_API int ukfs_part_tostring(struct ukfs_part *part, char *buf, size_t n);
#define UKFS_PARTITION_ARGVPROBE(part)                                         \
	do {                                                                   \
		if (argc < 3)                                                  \
			*(part) = NULL;                                        \
		else if (ukfs_part_probe(argv[argc - 2], (part)) == -1)        \
			err(1, "ukfs_part_probe");                             \
	} while (0)
#define UKFS_DEVICE_ARGVPROBE(part) UKFS_PARTITION_ARGVPROBE(part)
/*
 * Load a kernel component library (librumpfs_ffs.so ...) after boot, as
 * the original's fs-utils do: its components are initialised as it loads
 * (rump(3)).  ukfs_modload() returns 1, or 0 if it was loaded already,
 * or -1 (ENOENT: it does not load).  ukfs_modload_dir() loads every
 * librumpfs_*.so of dir and returns how many it loaded now, or -1.
 */
UKFS_API int ukfs_modload(const char *path);
UKFS_API int ukfs_modload_dir(const char *dir);
/* ukfs_mount_part() by a handle (NULL or ukfs_part_none: whole). */
UKFS_API struct ukfs *ukfs_mount_disk(const char *fstype, const char *image,
    struct ukfs_part *part, const char *mountpath, int flags, void *args,
    size_t arglen);

/*
 * Sync and unmount, remove the image from the kernel and free fs.  With
 * UKFS_RELFLAG_FORCE files still open on the mount are revoked; without
 * it such a mount is EBUSY and fs stays valid.  A failure to write back
 * what was changed is reported (EIO), and fs is gone all the same.
 * UKFS_RELFLAG_NOUNMOUNT frees fs only: the file system stays mounted
 * (and its image registered) in the kernel, for rump_sys_* calls.
 * Other flags are EINVAL.  The values are the original's.
 */
#define UKFS_RELFLAG_NOUNMOUNT 0x01
#define UKFS_RELFLAG_FORCE     0x02
UKFS_API int ukfs_release(struct ukfs *fs, int flags);

/*
 * What was mounted: the kernel path of the mount (for direct rump_sys_*
 * calls, which do not run chrooted to it), the file-system type (detected
 * or given), the partition (UKFS_PARTITION_NONE for a whole image).
 */
UKFS_API const char *ukfs_getmountpath(struct ukfs *fs);
UKFS_API const char *ukfs_getfstype(struct ukfs *fs);
UKFS_API int ukfs_getpartition(struct ukfs *fs);
/* The kernel's mount (rump_pub_vfs_getmp(), <rump/rump.h>). */
UKFS_API struct mount *ukfs_getmp(struct ukfs *fs);
/* The root vnode (rump(3)), referenced: release with rump_pub_vp_rele(). */
UKFS_API struct vnode *ukfs_getrvp(struct ukfs *fs);
/* A pointer of the caller's kept with fs (NULL until set). */
UKFS_API void ukfs_setspecific(struct ukfs *fs, void *priv);
UKFS_API void *ukfs_getspecific(struct ukfs *fs);

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
struct ukfs_partinfo {
	int up_index;                   /* its number, as in image:N */
	uint64_t up_offset;             /* bytes from the image's start */
	uint64_t up_size;               /* bytes */
	unsigned up_mbrtype;            /* MBR system id; 0 on GPT */
	char up_label[112];             /* GPT name, UTF-8; "" on MBR */
	const char *up_fstype;          /* detected type or NULL */
};
UKFS_API int ukfs_partitions(const char *image, struct ukfs_partinfo *parts,
    int n);

/*
 * Descriptors.  ukfs_open_mode() opens path like open(2) and returns a
 * kernel descriptor for the calls below (shared by every thread of the
 * program); ukfs_open() is the original's, with mode 0666 less the
 * umask for a file it creates.  ukfs_fdread() and ukfs_fdwrite() move
 * bytes at the descriptor's offset; the original's ukfs_read_fd() and
 * ukfs_write_fd() at off (and with dosync, fsync after the write).
 */
UKFS_API int ukfs_open_mode(struct ukfs *fs, const char *path, int oflags,
    mode_t mode);
UKFS_API int ukfs_open(struct ukfs *fs, const char *path, int oflags);
UKFS_API int ukfs_close(struct ukfs *fs, int fd);
UKFS_API ssize_t ukfs_pread(struct ukfs *fs, int fd, void *buf, size_t n,
    off_t off);
UKFS_API ssize_t ukfs_pwrite(struct ukfs *fs, int fd, const void *buf,
    size_t n, off_t off);
UKFS_API ssize_t ukfs_fdread(struct ukfs *fs, int fd, void *buf, size_t n);
UKFS_API ssize_t ukfs_fdwrite(struct ukfs *fs, int fd, const void *buf,
    size_t n);
UKFS_API ssize_t ukfs_read_fd(struct ukfs *fs, int fd, off_t off,
    uint8_t *buf, size_t n);
UKFS_API ssize_t ukfs_write_fd(struct ukfs *fs, int fd, off_t off,
    uint8_t *buf, size_t n, int dosync);
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
 * the end.  ukfs_diropen()/ukfs_readdir() walk one entry at a time:
 * readdir returns 1 with *de filled, 0 at the end, -1 on error; "." and
 * ".." are included as the file system gives them; ukfs_dirgetdents()
 * reads records of an open directory as ukfs_getdents() does.  The
 * original's ukfs_opendir() gives such a directory as a cookie, for its
 * ukfs_getdents_cookie() and ukfs_closedir().
 */
UKFS_API ssize_t ukfs_getdents(struct ukfs *fs, const char *path,
    off_t *off, void *buf, size_t n);

struct ukfs_dir;
struct ukfs_dirent {
	uint64_t ud_ino;
	unsigned char ud_type;          /* DT_REG, DT_DIR ... */
	char ud_name[256];
};
UKFS_API struct ukfs_dir *ukfs_diropen(struct ukfs *fs, const char *path);
UKFS_API int ukfs_readdir(struct ukfs_dir *d, struct ukfs_dirent *de);
UKFS_API ssize_t ukfs_dirgetdents(struct ukfs_dir *d, off_t *off, void *buf,
    size_t n);
UKFS_API void ukfs_dirclose(struct ukfs_dir *d);
UKFS_API int ukfs_opendir(struct ukfs *fs, const char *path,
    struct ukfs_dircookie **cp);
UKFS_API int ukfs_getdents_cookie(struct ukfs *fs, struct ukfs_dircookie *c,
    off_t *off, uint8_t *buf, size_t n);
UKFS_API void ukfs_closedir(struct ukfs *fs, struct ukfs_dircookie *c);

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
/* The same in microseconds, as utimes(2) and lutimes(3) (tv NULL: now). */
UKFS_API int ukfs_utimes(struct ukfs *fs, const char *path,
    const struct timeval tv[2]);
UKFS_API int ukfs_lutimes(struct ukfs *fs, const char *path,
    const struct timeval tv[2]);
/* A FIFO, as mkfifo(3). */
UKFS_API int ukfs_mkfifo(struct ukfs *fs, const char *path, mode_t mode);
/* mkdir -p: each missing directory of path, with mode. */
UKFS_API int ukfs_util_builddirs(struct ukfs *fs, const char *path,
    mode_t mode);
/* The directory relative paths go on from (ENOTDIR if not one). */
UKFS_API int ukfs_chdir(struct ukfs *fs, const char *path);
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
