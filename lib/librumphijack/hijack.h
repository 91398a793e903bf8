/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * librumphijack's internals.  The library is LD_PRELOADed into a Linux
 * program; its functions take the names of libc's and decide, call by
 * call, whether the host or the rump kernel serves it:
 * - a path under the prefix (RUMPHIJACK=path=/rump) goes to the kernel
 *   with the prefix stripped; a relative path goes where the current
 *   directory is; an *at call's relative path goes where its directory
 *   descriptor is;
 * - a descriptor goes where it was opened.  Each kernel descriptor owns a
 *   host descriptor of the same number (a placeholder, O_PATH on
 *   /dev/null), so host and kernel numbers never collide; hj_fds maps the
 *   host number to the kernel's;
 * - with socket=all (or inet, inet6, local, a comma-free list joined by
 *   ':') socket(2) of those domains goes to the kernel.
 * The kernel is reached only through rump_sys_*: the backend
 * (hijack_client.c over librumpclient, or hijack_local.c booting a kernel
 * in the process) boots it on first use and handles fork and exec.
 * Calls made by the backend itself (librumpclient's socket, rumpuser's
 * files) pass to the host: hj_inside is set while a kernel call runs on
 * the thread, and nothing of the host's ever matches the table.
 *
 * Lock order: hj_lock (the table, cwd, DIR list), then the backend's.
 */
#ifndef _HIJACK_H_
#define _HIJACK_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define HJ_API __attribute__((__visibility__("default")))

/* What the environment asked for (hijack_init.c). */
struct hj_config {
	char prefix[256];       /* "" when no path is hijacked */
	size_t prefixlen;
	unsigned sockdoms;      /* bit per HJ_SOCK_* */
	char root[256];         /* chroot in the kernel at first boot */
	char image[512];        /* local mode: FFS image mounted at root */
	bool debug;             /* one stderr line per kernel call */
};
#define HJ_SOCK_LOCAL 0x1
#define HJ_SOCK_INET 0x2
#define HJ_SOCK_INET6 0x4
#define HJ_SOCK_OTHER 0x8

extern struct hj_config hj_cfg;
extern __thread int hj_inside;

/* The host's functions, found with dlsym(RTLD_NEXT). */
void *hj_real(const char *name);
#define REAL(type, name)                                                      \
	static __typeof__(type) hj_##name##_fn;                                         \
	if (hj_##name##_fn == NULL)                                           \
		hj_##name##_fn = (type)hj_real(#name)

/* Kernel attachment: boot on first use (hijack_init.c, the backend). */
int hj_attach(void);
bool hj_attached(void);
void hj_fini(bool flush);               /* at exit or _exit */
void hj_unattach(void);                /* attach again at next use */
void hj_detach(void);                    /* kernel calls fail from now */
int hj_backend_init(void);
int hj_backend_mount(void);
void hj_backend_prefork(void);
void hj_backend_postfork(pid_t pid);
int hj_backend_exec(const char *path, char *const argv[], char *const envp[]);
void hj_backend_fini(void);

/* The descriptor table (hijack_fd.c). */
int hj_kfd(int hfd);                    /* kernel fd or -1 */
int hj_fd_install(int kfd, int cloexec); /* new host number, or -1 */
int hj_fd_install_at(int kfd, int hfd, int cloexec);
void hj_fd_set(int hfd, int kfd);     /* hfd: a placeholder already */
void hj_fd_clear(int hfd);            /* entry gone, hfd left open */
void hj_fd_forget(int hfd);
void hj_fd_setcloexec(int hfd, int on);
int hj_fd_error(int err);               /* sets errno, returns -1 */
char *hj_fd_export(void);
void hj_fd_import(const char *state);
void hj_fd_drop_all(void);              /* placeholders closed, table empty */
void hj_fd_close_cloexec(void);
void hj_fd_close_all(void);
bool hj_fd_any(void);                   /* any kernel descriptor */

/* Paths (hijack_path.c). */
enum hj_where { HJ_HOST, HJ_KERNEL };
enum hj_where hj_path(const char *path, const char **kpath);
enum hj_where hj_path_at(int dirfd, const char *path, int *kdirfd,
    const char **kpath);
extern bool hj_cwd_kernel;

/* Directory streams (hijack_dir.c). */
bool hj_dir_owns(const void *dirp);

/* The kernel-call bracket: errno survives it. */
#define KCALL(expr)                                                           \
	({                                                                    \
		__typeof__(expr) kc_rv_;                                      \
		hj_inside++;                                                  \
		kc_rv_ = (expr);                                              \
		hj_inside--;                                                  \
		kc_rv_;                                                       \
	})

#endif /* _HIJACK_H_ */
