/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The test harness.  A test program is a table of cases; each case runs in
 * a child process of its own, with a fresh kernel (booted by the harness
 * unless the case is marked NOBOOT), under a time limit.  A failed
 * requirement prints where and why and fails the case.
 *
 *	TESTCASE(pipe_eof) { ... REQUIRE_EQ(rump_sys_read(fd, b, 1), 0); }
 *	TESTS(CASE(pipe_eof), CASE_NOBOOT(init_twice))
 *
 * Run one case by name: ./t_pipe pipe_eof.  Set TEST_TIMEOUT (seconds,
 * default 60, 180 under AddressSanitizer) to change the limit.
 *
 * Host files a case makes go under tests_scratch(): a directory the harness
 * makes before the first case (or main, when it asks first) and removes,
 * with all in it, after the last.  It is named in $TESTS_SCRATCH, so that
 * every file of a test program and the programs it runs see the same one.  A case's own atexit handlers do not
 * run (cases end in _exit), so this is the one place where cleaning up is
 * sure to happen.
 */
#ifndef _TESTS_H_MACROS_H_
#define _TESTS_H_MACROS_H_

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define TEST_FAIL(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, __func__);  \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		exit(1);                                                       \
	} while (0)

#define REQUIRE(e)                                                             \
	do {                                                                   \
		if (!(e))                                                      \
			TEST_FAIL("requirement failed: %s", #e);               \
	} while (0)

#define REQUIRE_EQ(a, b)                                                       \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			TEST_FAIL("%s == %lld, expected %s == %lld (errno %d)", \
			    #a, a_, #b, b_, errno);                            \
	} while (0)

/* A call that must succeed (return other than -1). */
#define REQUIRE_OK(call)                                                       \
	do {                                                                   \
		errno = 0;                                                     \
		if ((long long)(call) == -1)                                   \
			TEST_FAIL("%s failed: %s", #call, strerror(errno));    \
	} while (0)

/* A call that must fail with -1 and exactly this errno. */
#define REQUIRE_ERRNO(call, err)                                               \
	do {                                                                   \
		long long r_;                                                  \
		errno = 0;                                                     \
		r_ = (long long)(call);                                        \
		if (r_ != -1 || errno != (err))                                \
			TEST_FAIL("%s returned %lld errno %d (%s), expected " \
			    "-1 errno %d (%s)", #call, r_, errno,              \
			    strerror(errno), (err), strerror(err));            \
	} while (0)

/*
 * Kernel log lines go to stderr: log_capture() sends them to the file
 * at path until log_expect(), which wants exactly one line, holding
 * want.
 */
static int log_saved_stderr = -1;
static const char *log_path;

static __attribute__((__unused__)) void
log_capture(const char *path)
{
	int fd;

	fflush(stderr);
	log_path = path;
	REQUIRE((log_saved_stderr = dup(2)) != -1);
	REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1);
	REQUIRE(dup2(fd, 2) == 2);
	close(fd);
}

static __attribute__((__unused__)) void
log_expect(const char *want)
{
	char buf[4096];
	ssize_t n;
	int fd, lines = 0;

	fflush(stderr);
	REQUIRE(dup2(log_saved_stderr, 2) == 2);
	close(log_saved_stderr);
	REQUIRE((fd = open(log_path, O_RDONLY)) != -1);
	REQUIRE((n = read(fd, buf, sizeof(buf) - 1)) >= 0);
	close(fd);
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	if (strstr(buf, want) == NULL || lines != 1)
		TEST_FAIL("log: wanted one line with \"%s\", got:\n%s", want,
		    buf);
}

struct testcase {
	const char *name;
	void (*fn)(void);
	int boot;
};

#define TESTCASE(name) static void name(void)
#define CASE(name)        { #name, name, 1 }
#define CASE_NOBOOT(name) { #name, name, 0 }

#if defined(__SANITIZE_ADDRESS__)
#define TESTS_LEAKCHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESTS_LEAKCHECK 1
#endif
#endif

#ifdef TESTS_LEAKCHECK
#include <sanitizer/lsan_interface.h>
/* A case's time limit: the sanitizers run several times slower. */
#define TESTS_TIMEOUT 180
/*
 * Rounds of a seeded corruption loop under the sanitizers: half, so
 * that the suite keeps its time; the plain build runs them all.
 */
#define TESTS_ROUNDS(n) ((n) / 2)
#else
#define TESTS_TIMEOUT 60
#define TESTS_ROUNDS(n) (n)
#endif

/*
 * Memory a case allocated and can no longer reach: nonzero (after a
 * report on stderr) under AddressSanitizer, else always 0.  What the
 * kernel still holds (mounts, vnodes, threads) is reachable and fine.
 */
static int
leak_check(void)
{
#ifdef TESTS_LEAKCHECK
	return __lsan_do_recoverable_leak_check();
#else
	return 0;
#endif
}

static __attribute__((__unused__)) const char *
tests_scratch(void)
{
	char dir[256], self[200], owner[24];
	const char *tmp = getenv("TMPDIR"), *name;
	ssize_t n;

	if (getenv("TESTS_SCRATCH") == NULL) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		name = strrchr(self, '/') != NULL ? strrchr(self, '/') + 1
						  : "test";
		snprintf(dir, sizeof(dir), "%s/%s.XXXXXX",
		    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", name);
		if (mkdtemp(dir) == NULL)
			TEST_FAIL("cannot make %s: %s", dir, strerror(errno));
		snprintf(owner, sizeof(owner), "%d", (int)getpid());
		if (setenv("TESTS_SCRATCH", dir, 1) != 0 ||
		    setenv("TESTS_SCRATCH_OWNER", owner, 1) != 0)
			TEST_FAIL("setenv: %s", strerror(errno));
	}
	return getenv("TESTS_SCRATCH");
}

/* Only the process that made it removes it: not cases, nor programs run. */
static void
tests_scratch_remove(void)
{
	const char *owner = getenv("TESTS_SCRATCH_OWNER");
	char cmd[300];

	if (owner == NULL || atoi(owner) != (int)getpid())
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", getenv("TESTS_SCRATCH"));
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", getenv("TESTS_SCRATCH"));
}

static int
run_case(const struct testcase *tc, unsigned timeout)
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		alarm(timeout);
		if (tc->boot && rump_init() != 0) {
			fprintf(stderr, "%s: rump_init failed\n", tc->name);
			_exit(1);
		}
		tc->fn();
		fflush(NULL);
		/* _exit skips LeakSanitizer's own check: run it here. */
		if (leak_check() != 0)
			_exit(1);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1)
		continue;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok   %s\n", tc->name);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("FAIL %s (signal %d%s)\n", tc->name, WTERMSIG(status),
		    WTERMSIG(status) == SIGALRM ? ": timed out" : "");
	else
		printf("FAIL %s (exit %d)\n", tc->name, WEXITSTATUS(status));
	return 1;
}

static __attribute__((__unused__)) int
run_tests(const struct testcase *tcs, size_t n, int argc, char **argv)
{
	const char *t = getenv("TEST_TIMEOUT");
	unsigned timeout = t != NULL ? (unsigned)atoi(t) : TESTS_TIMEOUT;
	int failed = 0, ran = 0;

	tests_scratch();
	for (size_t i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], tcs[i].name) != 0)
			continue;
		failed += run_case(&tcs[i], timeout);
		ran++;
	}
	tests_scratch_remove();
	if (ran == 0) {
		fprintf(stderr, "%s: no test case %s\n", argv[0],
		    argc > 1 ? argv[1] : "");
		return 1;
	}
	printf("%d of %d cases failed\n", failed, ran);
	return failed != 0;
}

#define TESTS(...)                                                             \
	int main(int argc, char **argv)                                        \
	{                                                                      \
		static const struct testcase tcs_[] = { __VA_ARGS__ };         \
		return run_tests(tcs_, sizeof(tcs_) / sizeof(tcs_[0]), argc,   \
		    argv);                                                     \
	}

#endif /* _TESTS_H_MACROS_H_ */
