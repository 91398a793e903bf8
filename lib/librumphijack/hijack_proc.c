/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fork and exec.  Before the kernel is attached both are the host's
 * alone.  After, fork asks the backend for a kernel process for the
 * child that inherits the parent's descriptors (librumpclient's
 * prefork/fork_init); vfork is a fork, as the child needs a stack of its
 * own to call into the kernel.  exec closes the kernel descriptors
 * marked close-on-exec, passes the table and the side of the current
 * directory in RUMPHIJACK_STATE, and lets the backend exec (keeping the
 * kernel process).  glibc's execvp, execl and the others call its
 * internal execve, so they are all here over ours.  posix_spawn and
 * system() start programs with none of this: the new program starts a
 * kernel process of its own, with no kernel descriptors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <paths.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hijack.h"

extern char **environ;

HJ_API pid_t
fork(void)
{
	pid_t pid;
	REAL(pid_t (*)(void), fork);

	if (hj_inside || !hj_attached())
		return hj_fork_fn();
	hj_backend_prefork();
	pid = hj_fork_fn();
	hj_backend_postfork(pid);
	return pid;
}

HJ_API pid_t
vfork(void)
{
	return fork();
}

HJ_API void
_exit(int status)
{
	REAL(void (*)(int), _exit);

	hj_fini(false);
	hj__exit_fn(status);
	__builtin_unreachable();
}

HJ_API void
_Exit(int status)
{
	_exit(status);
}

/* envp with RUMPHIJACK_STATE=state in place of any it had. */
static char **
env_with(char *const envp[], const char *state)
{
	static const char var[] = "RUMPHIJACK_STATE=";
	size_t n = 0, k = 0, i;
	char **env;

	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((env = calloc(n + 2, sizeof(*env))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], var, sizeof(var) - 1) != 0)
			env[k++] = envp[i];
	if (state != NULL) {
		if ((env[k] = malloc(sizeof(var) + strlen(state))) == NULL) {
			free(env);
			return NULL;
		}
		strcpy(stpcpy(env[k++], var), state);
	}
	env[k] = NULL;
	return env;
}

HJ_API int
execve(const char *path, char *const argv[], char *const envp[])
{
	char *state, **env;
	int rv, err;
	REAL(int (*)(const char *, char *const *, char *const *), execve);

	if (hj_inside || !hj_attached())
		return hj_execve_fn(path, argv, envp);
	hj_fd_close_cloexec();
	if ((state = hj_fd_export()) == NULL)
		return hj_fd_error(ENOMEM);
	env = env_with(envp, state);
	free(state);
	if (env == NULL)
		return hj_fd_error(ENOMEM);
	rv = hj_backend_exec(path, argv, env);
	err = errno;
	/* Still here: the exec failed. */
	for (size_t i = 0; env[i] != NULL; i++)
		if (strncmp(env[i], "RUMPHIJACK_STATE=", 17) == 0)
			free(env[i]);
	free(env);
	errno = err;
	return rv;
}

HJ_API int
execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* The search of execvp(3): PATH's entries, ENOEXEC run by sh. */
HJ_API int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *path, *p, *end;
	char buf[PATH_MAX];
	int sawaccess = 0;
	size_t dl, fl;

	if (file[0] == '\0')
		return hj_fd_error(ENOENT);
	if (strchr(file, '/') != NULL)
		return execve(file, argv, envp);
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	fl = strlen(file);
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		dl = end - p;
		if (dl + fl + 2 <= sizeof(buf)) {
			memcpy(buf, p, dl);
			if (dl == 0)
				buf[dl++] = '.';
			buf[dl] = '/';
			memcpy(buf + dl + 1, file, fl + 1);
			execve(buf, argv, envp);
			if (errno == EACCES)
				sawaccess = 1;
			else if (errno == ENOEXEC) {
				size_t n = 0;
				char **nargv;
				while (argv[n] != NULL)
					n++;
				if ((nargv = calloc(n + 2, sizeof(*nargv))) ==
				    NULL)
					return -1;
				nargv[0] = (char *)"sh";
				nargv[1] = buf;
				memcpy(nargv + 2, argv + 1,
				    n * sizeof(*nargv));
				execve(_PATH_BSHELL, nargv, envp);
				free(nargv);
				return -1;
			} else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (*end == '\0')
			break;
	}
	return hj_fd_error(sawaccess ? EACCES : ENOENT);
}

HJ_API int
execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* execl's arguments as an argv; envp after the NULL when withenv. */
static char **
list_argv(const char *arg0, va_list ap, char ***envp)
{
	va_list aq;
	size_t n = 1, i;
	char **argv;

	va_copy(aq, ap);
	while (va_arg(aq, char *) != NULL)
		n++;
	va_end(aq);
	if ((argv = calloc(n + 1, sizeof(*argv))) == NULL)
		return NULL;
	argv[0] = (char *)arg0;
	for (i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	if (envp != NULL)
		*envp = va_arg(ap, char **);
	return argv;
}

HJ_API int
execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execve(path, argv, environ);
	free(argv);
	return -1;
}

HJ_API int
execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execvpe(file, argv, environ);
	free(argv);
	return -1;
}

HJ_API int
execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv, **envp;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, &envp);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execve(path, argv, envp);
	free(argv);
	return -1;
}
