/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * ukfs: mounting and releasing images.
 *
 *   ukfs_mount("disk.img:2") -> image_parse -> etfs block device
 *   /dev/ukfs/N (the whole image) -> rump_pub_disk_scan (the kernel's
 *   partitions, librumpdev) -> /dev/ukfs/Np2 -> detect the type on the
 *   host file at the partition's offset -> mount at /ukfs.N (beside,
 *   not under, UKFS_DEFAULTMP)
 *
 * Then a kernel process for the mount's operations, chrooted to it.
 * The mount is nodev: a device node in the image (say one with the
 * major and minor of the image's own disk) does not open.
 *
 * A file system with no device (tmpfs) skips the image: its mount
 * arguments go to mount(2) as given.  Mount arguments whose fspec names
 * the host image (the original's convention) get the kernel's device
 * instead.
 *
 * ukfs_release() undoes it in reverse: end the process, unmount (which
 * writes back), forget the partition nodes, remove the etfs key, the
 * mount point; with UKFS_RELFLAG_NOUNMOUNT only the process and the
 * handle go, and the mount and its device stay in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdisk.h>
#include <rump/rumpvfs.h>

#include "ukfs_private.h"

#define UKFS_MAXPART 128

static atomic_uint ukfs_nextid;
static atomic_int ukfs_booted;

int
ukfs_init(void)
{
	int error;

	if (atomic_load(&ukfs_booted))
		return 0;
	if ((error = rump_init()) != 0) {
		errno = error;
		return -1;
	}
	atomic_store(&ukfs_booted, 1);
	return 0;
}

/*
 * Split "path[:part]": the host path, and the partition as a number
 * (*partp) or a GPT label (*labelp), or none.  A path that exists as
 * given is whole.
 */
static char *
image_parse(const char *image, int *partp, char **labelp)
{
	struct stat st;
	const char *colon;
	char *host, *end;
	long n;

	*partp = UKFS_PARTITION_NONE;
	*labelp = NULL;
	colon = strrchr(image, ':');
	if (colon == NULL || colon[1] == '\0' || stat(image, &st) == 0)
		return strdup(image);
	if ((host = strndup(image, (size_t)(colon - image))) == NULL)
		return NULL;
	errno = 0;
	n = strtol(colon + 1, &end, 10);
	if (*end == '\0' && errno == 0 && n >= 1 && n <= INT_MAX &&
	    colon[1] >= '0' && colon[1] <= '9')
		*partp = (int)n;
	else if (*end == '\0' && colon[1] >= '0' && colon[1] <= '9') {
		free(host);
		errno = ENXIO;
		return NULL;
	} else if ((*labelp = strdup(colon + 1)) == NULL) {
		free(host);
		return NULL;
	}
	return host;
}

/* The host image must be a file or a block device. */
static int
image_check(const char *host)
{
	struct stat st;

	if (stat(host, &st) == -1)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
mkdirs(const char *path)
{
	char buf[UKFS_PATHMAX];
	char *p;

	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (rump_sys_mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (rump_sys_mkdir(buf, 0755) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Find partition part (or the one labelled label) of the block device
 * key: its node in *devp, its place in the image in *offp and *sizep.
 */
static int
partition_find(const char *key, int part, const char *label, char **devp,
    int *indexp, uint64_t *offp, uint64_t *sizep)
{
	struct rump_diskpart *dp;
	unsigned i, n;
	int error;

	if ((dp = calloc(UKFS_MAXPART, sizeof(*dp))) == NULL)
		return -1;
	if ((error = rump_pub_disk_scan(key, dp, UKFS_MAXPART, &n)) != 0) {
		free(dp);
		/* A table that contradicts itself is not a bad mount. */
		errno = error == EINVAL ? EUCLEAN : error;
		return -1;
	}
	if (n > UKFS_MAXPART)
		n = UKFS_MAXPART;
	for (i = 0; i < n; i++) {
		if (label != NULL ? strcmp(dp[i].dp_label, label) == 0 :
		    (int)dp[i].dp_index == part)
			break;
	}
	if (i == n) {
		free(dp);
		errno = ENXIO;
		return -1;
	}
	*indexp = (int)dp[i].dp_index;
	*offp = dp[i].dp_offset;
	*sizep = dp[i].dp_size;
	*devp = strdup(dp[i].dp_path);
	free(dp);
	return *devp == NULL ? -1 : 0;
}

/*
 * The mount's process: a child of the caller's, sharing its descriptor
 * table (descriptors belong to the whole program), chrooted to the mount.
 * Its first lwp is the first idle one.
 */
int
ukfs_proc_start(struct ukfs *fs)
{
	struct lwp *prev = rump_pub_lwproc_curlwp(), **lwps;
	int error;

	fs->uk_pid = -1;
	if ((lwps = malloc(sizeof(*lwps))) == NULL)
		return -1;
	if ((error = rump_pub_lwproc_rfork(0)) != 0) {
		free(lwps);
		errno = error;
		return -1;
	}
	if (rump_sys_chroot(fs->uk_mountpath) == -1 ||
	    rump_sys_chdir("/") == -1) {
		error = errno;
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(prev);
		free(lwps);
		errno = error;
		return -1;
	}
	fs->uk_pid = rump_sys_getpid();
	lwps[0] = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_switch(prev);
	free(fs->uk_lwps);
	fs->uk_lwps = lwps;
	fs->uk_nidle = fs->uk_nlwps = 1;
	return 0;
}

/* End the mount's process (its lwps are all idle): its root goes. */
void
ukfs_proc_end(struct ukfs *fs)
{
	struct lwp *prev = rump_pub_lwproc_curlwp();
	size_t i;

	for (i = 0; i < fs->uk_nidle; i++) {
		rump_pub_lwproc_switch(fs->uk_lwps[i]);
		rump_pub_lwproc_releaselwp();
	}
	rump_pub_lwproc_switch(prev);
	fs->uk_nidle = fs->uk_nlwps = 0;
	fs->uk_pid = -1;
}

static void
ukfs_free(struct ukfs *fs)
{
	pthread_mutex_destroy(&fs->uk_lwplock);
	free(fs->uk_lwps);
	free(fs->uk_image);
	free(fs->uk_devkey);
	free(fs->uk_dev);
	free(fs->uk_mountpath);
	free(fs->uk_fstype);
	free(fs);
}

/* Take the image and partition out of the kernel again. */
static void
ukfs_undev(struct ukfs *fs)
{
	if (fs->uk_devkey == NULL)
		return;
	(void)rump_pub_disk_forget(fs->uk_devkey);
	(void)rump_pub_etfs_remove(fs->uk_devkey);
}

/*
 * Mount host (partition part or label) of type fstype; host NULL: a file
 * system with no device.  image is the path as the caller gave it.
 */
static struct ukfs *
ukfs_domount(const char *fstype, const char *image, const char *host,
    int part, const char *label, const char *mountpath, int flags,
    void *args, size_t arglen)
{
	_Alignas(16) char defargs[256];
	struct ukfs *fs;
	uint64_t off = 0, size;
	const char *type;
	struct stat st;
	unsigned id;
	char *key;
	int fd = -1, error, saved;

	if (ukfs_init() == -1 || (host != NULL && image_check(host) == -1))
		return NULL;
	if ((fs = calloc(1, sizeof(*fs))) == NULL)
		return NULL;
	pthread_mutex_init(&fs->uk_lwplock, NULL);
	strcpy(fs->uk_cwd, "/");
	fs->uk_pid = -1;
	fs->uk_partition = part;
	fs->uk_flags = flags;
	id = atomic_fetch_add(&ukfs_nextid, 1);
	if (host == NULL) {
		if ((fs->uk_fstype = strdup(fstype)) == NULL)
			goto bad;
		goto mountpoint;
	}
	if ((fs->uk_image = strdup(host)) == NULL ||
	    asprintf(&key, "/dev/ukfs/%u", id) == -1) {
		ukfs_free(fs);
		return NULL;
	}
	fs->uk_devkey = key;
	if ((error = rump_pub_etfs_register(key, host, RUMP_ETFS_BLK)) != 0) {
		ukfs_free(fs);
		errno = error;
		return NULL;
	}
	if ((fd = open(host, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1)
		goto bad;
	size = (uint64_t)st.st_size;
	if (part != UKFS_PARTITION_NONE || label != NULL) {
		if (partition_find(key, part, label, &fs->uk_dev,
		    &fs->uk_partition, &off, &size) == -1)
			goto bad;
	} else if ((fs->uk_dev = strdup(key)) == NULL)
		goto bad;
	if (fstype == NULL || fstype[0] == '\0') {
		if ((type = ukfs_detect_fd(fd, off, size)) == NULL)
			goto bad;
		fstype = type;
	}
	close(fd);
	fd = -1;
	if ((fs->uk_fstype = strdup(fstype)) == NULL)
		goto bad;
mountpoint:
	if (mountpath == NULL) {
		if (asprintf(&fs->uk_mountpath, "/ukfs.%u", id) == -1) {
			fs->uk_mountpath = NULL;
			goto bad;
		}
	} else if ((fs->uk_mountpath = strdup(mountpath)) == NULL)
		goto bad;
	if (rump_sys_stat(fs->uk_mountpath, &st) == -1) {
		if (mkdirs(fs->uk_mountpath) == -1)
			goto bad;
		fs->uk_madedir = 1;
	}
	if (host == NULL)
		;                       /* no device: the arguments as given */
	else if (args == NULL) {
		arglen = ukfs_defargs(fstype, fs->uk_dev, defargs,
		    sizeof(defargs));
		args = arglen > 0 ? defargs : NULL;
	} else
		args = ukfs_fixargs(fstype, image, host, fs->uk_dev, args,
		    arglen, defargs, sizeof(defargs));
	/* No device nodes of the image's own: nodev, whatever the caller. */
	if (rump_sys_mount(fstype, fs->uk_mountpath, flags | MS_NODEV, args,
	    arglen) == -1)
		goto bad;
	if (ukfs_proc_start(fs) == -1) {
		saved = errno;
		(void)rump_sys_unmount(fs->uk_mountpath, MNT_FORCE);
		errno = saved;
		goto bad;
	}
	return fs;
bad:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (fs->uk_madedir)
		(void)rump_sys_rmdir(fs->uk_mountpath);
	ukfs_undev(fs);
	ukfs_free(fs);
	errno = saved;
	return NULL;
}

struct ukfs *
ukfs_mount(const char *fstype, const char *image, const char *mountpath,
    int flags, void *args, size_t arglen)
{
	struct ukfs *fs;
	char *host, *label;
	int part, saved;

	if (ukfs_nodev_type(fstype))
		return ukfs_domount(fstype, image, NULL, UKFS_PARTITION_NONE,
		    NULL, mountpath, flags, args, arglen);
	if (image == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((host = image_parse(image, &part, &label)) == NULL)
		return NULL;
	fs = ukfs_domount(fstype, image, host, part, label, mountpath, flags,
	    args, arglen);
	saved = errno;
	free(host);
	free(label);
	errno = saved;
	return fs;
}

struct ukfs *
ukfs_mount_part(const char *fstype, const char *image, int partition,
    const char *mountpath, int flags, void *args, size_t arglen)
{
	if (image == NULL ||
	    (partition < 1 && partition != UKFS_PARTITION_NONE)) {
		errno = image == NULL ? EINVAL : ENXIO;
		return NULL;
	}
	return ukfs_domount(fstype, image, image, partition, NULL, mountpath,
	    flags, args, arglen);
}

/* ukfs_mount_disk() of the original: a GPT label is by name. */
struct ukfs *
ukfs_mount_label(const char *fstype, const char *image, const char *label,
    const char *mountpath, int flags, void *args, size_t arglen)
{
	if (image == NULL || label == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return ukfs_domount(fstype, image, image, UKFS_PARTITION_NONE, label,
	    mountpath, flags, args, arglen);
}

int
ukfs_release(struct ukfs *fs, int flags)
{
	int error = 0;

	if (fs == NULL || (flags & ~(UKFS_RELFLAG_NOUNMOUNT |
	    UKFS_RELFLAG_FORCE)) != 0) {
		errno = EINVAL;
		return -1;
	}
	/* The process's root and cwd hold the mount: they go first. */
	ukfs_proc_end(fs);
	if (flags & UKFS_RELFLAG_NOUNMOUNT) {
		ukfs_free(fs);
		return 0;
	}
	if (rump_sys_unmount(fs->uk_mountpath,
	    (flags & UKFS_RELFLAG_FORCE) ? MNT_FORCE : 0) == -1) {
		if (!(flags & UKFS_RELFLAG_FORCE) && errno == EBUSY) {
			/* It stays, so its process must be back (else ESRCH). */
			(void)ukfs_proc_start(fs);
			errno = EBUSY;
			return -1;
		}
		error = errno;
	}
	if (fs->uk_madedir)
		(void)rump_sys_rmdir(fs->uk_mountpath);
	ukfs_undev(fs);
	ukfs_free(fs);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

const char *
ukfs_getmountpath(struct ukfs *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return fs->uk_mountpath;
}

const char *
ukfs_getfstype(struct ukfs *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return fs->uk_fstype;
}

int
ukfs_getpartition(struct ukfs *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return -1;
	}
	return fs->uk_partition;
}

struct mount *
ukfs_getmp(struct ukfs *fs)
{
	struct mount *mp;
	int error;

	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((error = rump_pub_vfs_getmp(fs->uk_mountpath, &mp)) != 0) {
		errno = error;
		return NULL;
	}
	return mp;
}

void
ukfs_setspecific(struct ukfs *fs, void *priv)
{
	if (fs != NULL)
		atomic_store(&fs->uk_specific, priv);
}

void *
ukfs_getspecific(struct ukfs *fs)
{
	if (fs == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return atomic_load(&fs->uk_specific);
}

/* Register the image for a look at its partitions; the caller removes. */
static int
probe_register(const char *host, char **keyp)
{
	unsigned id;
	int error;

	if (ukfs_init() == -1 || image_check(host) == -1)
		return -1;
	id = atomic_fetch_add(&ukfs_nextid, 1);
	if (asprintf(keyp, "/dev/ukfs/%u", id) == -1)
		return -1;
	if ((error = rump_pub_etfs_register(*keyp, host, RUMP_ETFS_BLK)) !=
	    0) {
		free(*keyp);
		errno = error;
		return -1;
	}
	return 0;
}

int
ukfs_partitions(const char *image, struct ukfs_partinfo *parts, int n)
{
	struct rump_diskpart *dp;
	unsigned i, count;
	char *key;
	int fd, error;

	if (n < 0 || probe_register(image, &key) == -1)
		return -1;
	if ((dp = calloc(UKFS_MAXPART, sizeof(*dp))) == NULL) {
		error = errno;
		goto out;
	}
	if ((error = rump_pub_disk_scan(key, dp, UKFS_MAXPART, &count)) != 0)
		goto out;
	if (count > UKFS_MAXPART)
		count = UKFS_MAXPART;
	fd = open(image, O_RDONLY | O_CLOEXEC);
	for (i = 0; i < count && (int)i < n; i++) {
		memset(&parts[i], 0, sizeof(parts[i]));
		parts[i].up_index = (int)dp[i].dp_index;
		parts[i].up_offset = dp[i].dp_offset;
		parts[i].up_size = dp[i].dp_size;
		parts[i].up_mbrtype = dp[i].dp_mbrtype;
		memcpy(parts[i].up_label, dp[i].dp_label,
		    sizeof(parts[i].up_label));
		parts[i].up_label[sizeof(parts[i].up_label) - 1] = '\0';
		parts[i].up_fstype = fd == -1 ? NULL :
		    ukfs_detect_fd(fd, dp[i].dp_offset, dp[i].dp_size);
	}
	if (fd != -1)
		close(fd);
	(void)rump_pub_disk_forget(key);
out:
	free(dp);
	(void)rump_pub_etfs_remove(key);
	free(key);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return (int)count;
}

const char *
ukfs_detect(const char *image, int partition)
{
	struct stat st;
	uint64_t off = 0, size;
	const char *type;
	char *key, *dev;
	int fd, saved;

	if (partition == UKFS_PARTITION_NONE) {
		if (image_check(image) == -1 ||
		    (fd = open(image, O_RDONLY | O_CLOEXEC)) == -1)
			return NULL;
		type = fstat(fd, &st) == -1 ? NULL :
		    ukfs_detect_fd(fd, 0, (uint64_t)st.st_size);
		saved = errno;
		close(fd);
		errno = saved;
		return type;
	}
	if (probe_register(image, &key) == -1)
		return NULL;
	type = NULL;
	if (partition_find(key, partition, NULL, &dev, &partition, &off,
	    &size) == 0) {
		free(dev);
		if ((fd = open(image, O_RDONLY | O_CLOEXEC)) != -1) {
			type = ukfs_detect_fd(fd, off, size);
			saved = errno;
			close(fd);
			errno = saved;
		}
	}
	saved = errno;
	(void)rump_pub_disk_forget(key);
	(void)rump_pub_etfs_remove(key);
	free(key);
	errno = saved;
	return type;
}
