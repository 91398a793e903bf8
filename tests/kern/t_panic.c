/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A kernel panic prints its message and a backtrace and ends the process
 * through rumpuser_exit(RUMPUSER_PANIC), which aborts.
 */
#include <fcntl.h>
#include <pthread.h>

#include "h_macros.h"
#include "kernspace/kernspace.h"

/* Run fn in a child with stderr captured; return its wait status. */
static int
run_captured(void (*fn)(void), char *out, size_t outlen)
{
	int fds[2], status;
	ssize_t n, total = 0;
	pid_t pid;

	REQUIRE_OK(pipe(fds));
	REQUIRE_OK(pid = fork());
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + total, outlen - 1 - (size_t)total)) > 0)
		total += n;
	out[total] = '\0';
	close(fds[0]);
	REQUIRE_OK(waitpid(pid, &status, 0));
	return status;
}

static void
release_unbound(void)
{
	/* No lwp is bound to this thread: a kernel panic, not a crash. */
	rump_pub_lwproc_releaselwp();
}

TESTCASE(panic_message_and_backtrace)
{
	char out[8192];
	int status;

	status = run_captured(release_unbound, out, sizeof(out));
	REQUIRE(WIFSIGNALED(status));
	REQUIRE_EQ(WTERMSIG(status), SIGABRT);
	REQUIRE(strstr(out, "panic: rump_pub_lwproc_releaselwp: no lwp bound "
			    "to this thread\n") != NULL);
	REQUIRE(strstr(out, "rump kernel panic backtrace:") != NULL);
	/* The backtrace names the library the panic came from. */
	REQUIRE(strstr(out, "librump") != NULL);
}

static struct lwp *other_lwp;

static void *
make_lwp(void *arg)
{
	(void)arg;
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
		other_lwp = rump_pub_lwproc_curlwp();
	return NULL;
}

static void
steal_lwp(void)
{
	pthread_t t;

	/* The other thread keeps its lwp bound after it ends. */
	pthread_create(&t, NULL, make_lwp, NULL);
	pthread_join(t, NULL);
	if (other_lwp == NULL)
		_exit(3);
	rump_pub_lwproc_switch(other_lwp);
}

TESTCASE(switch_to_bound_lwp_panics)
{
	char out[8192];
	int status;

	status = run_captured(steal_lwp, out, sizeof(out));
	REQUIRE(WIFSIGNALED(status));
	REQUIRE_EQ(WTERMSIG(status), SIGABRT);
	REQUIRE(strstr(out, "panic: lwp 2.1 is bound to another thread\n") !=
	    NULL);
}

static int lockdebug_case;

static void
lockdebug(void)
{
	rump_test_lockdebug(lockdebug_case);
}

/* Each misuse panics with a message that says what was wrong. */
TESTCASE(lock_assertions)
{
	static const struct {
		int which;
		const char *msg;
	} cases[] = {
		{ LOCKDEBUG_RECURSE, "locking against myself" },
		{ LOCKDEBUG_NOTOWNER, "exit by non-owner" },
		{ LOCKDEBUG_SLEEP_SPIN, "taken with a spin mutex held" },
		{ LOCKDEBUG_RW_RECURSE, "locking against myself" },
	};
	char out[8192];
	int status;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lockdebug_case = cases[i].which;
		status = run_captured(lockdebug, out, sizeof(out));
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT ||
		    strstr(out, cases[i].msg) == NULL)
			TEST_FAIL("case %d: status %#x, output: %s",
			    cases[i].which, status, out);
	}
}

TESTS(CASE(panic_message_and_backtrace), CASE(switch_to_bound_lwp_panics),
    CASE(lock_assertions))
