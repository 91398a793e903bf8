/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The fault switch (<net/if_fault.h>): per side, a seeded xorshift64*
 * generator decides for each frame whether it is dropped, corrupted,
 * copied or held back behind the next one; what is left goes on at once
 * or, with a delay set, into a FIFO of IF_FAULT_DELAYQ frames that the
 * switch's thread empties as the frames fall due.  The thread also lets
 * a held frame go alone when no frame has come behind it for
 * IF_FAULT_HOLD_MS.  The thread is made when a fault is first set.
 *
 * Locking: (f) f_lock, a leaf: the settings, generators, held frames,
 * the delay queues and the counters; (a) atomic; (c) stable after
 * creation.  Frames are handed on with f_lock released.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/time.h>
#include <net/if.h>
#include <net/if_fault.h>

#define IF_FAULT_DELAYQ 4096            /* frames a side's delay holds */
#define IF_FAULT_PPM    1000000u
#define IF_FAULT_HOLD_NS ((uint64_t)IF_FAULT_HOLD_MS * 1000000)

struct if_fault_delayed {
	struct mbuf *fd_m;
	uint64_t fd_due;                /* uptime ns */
};

/* One side's settings and state.  Locking: (f). */
struct if_fault_side {
	uint64_t fs_rng;                /* xorshift64* state, never 0 */
	uint32_t fs_drop, fs_dup, fs_reorder, fs_corrupt; /* per million */
	uint64_t fs_delay_ns;
	struct mbuf *fs_held;           /* a reordered frame */
	uint64_t fs_held_at;            /* uptime ns it was held */
	struct if_fault_delayed *fs_q;  /* IF_FAULT_DELAYQ entries, or NULL */
	unsigned fs_qhead, fs_qcount;
	struct if_fault_stats fs_st;
};

struct if_fault {
	kmutex_t f_lock;
	kcondvar_t f_cv;                /* f: work for the thread */
	struct ifnet *f_ifp;            /* c */
	if_fault_pass_t f_pass[2];      /* c */
	struct if_fault_side f_side[2]; /* f */
	bool f_on[2];                   /* a; f to change */
	bool f_stopped;                 /* f */
	struct lwp *f_thread;           /* f */
};

/* A frame list in order, linked by m_nextpkt. */
struct if_fault_list {
	struct mbuf *fl_head, **fl_tail;
};

static void
if_fault_list_add(struct if_fault_list *fl, struct mbuf *m)
{
	m->m_nextpkt = NULL;
	*fl->fl_tail = m;
	fl->fl_tail = &m->m_nextpkt;
}

static void
if_fault_list_run(struct if_fault *f, int dir, struct if_fault_list *fl)
{
	struct mbuf *m, *next;

	for (m = fl->fl_head; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		f->f_pass[dir](f->f_ifp, m);
	}
}

static uint64_t
if_fault_rand(struct if_fault_side *s)
{
	uint64_t x = s->fs_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s->fs_rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static bool
if_fault_chance(struct if_fault_side *s, uint32_t ppm)
{
	return ppm != 0 &&
	    (uint32_t)((if_fault_rand(s) >> 11) % IF_FAULT_PPM) < ppm;
}

/*
 * "0.25", "1", ".5" (a fraction) or "5%", "12.5%" (a percentage) into
 * parts per million; false if malformed or more than the whole.
 */
static bool
if_fault_parse_share(const char *s, size_t n, uint32_t *ppmp)
{
	uint64_t v = 0, scale = IF_FAULT_PPM, max = 1;
	size_t i = 0;
	bool digits = false;

	if (n > 0 && s[n - 1] == '%') {
		n--;
		scale = IF_FAULT_PPM / 100;
		max = 100;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits = true)
		if ((v = v * 10 + (uint64_t)(s[i] - '0')) > max)
			return false;
	v *= scale;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits = true) {
			scale /= 10;
			v += (uint64_t)(s[i] - '0') * scale;
		}
	}
	if (i != n || !digits || v > IF_FAULT_PPM)
		return false;
	*ppmp = (uint32_t)v;
	return true;
}

static bool
if_fault_parse_uint(const char *s, size_t n, uint64_t *vp)
{
	uint64_t v = 0;

	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*vp = v;
	return true;
}

/* The settings of a spec (if_fault.h) into s; dirs: bit 0 rx, bit 1 tx. */
static int
if_fault_parse(const char *spec, size_t len, struct if_fault_side *s,
    int *dirsp)
{
	const char *p = spec, *end, *eq, *stop = spec + len;
	uint64_t v, seed = 1;
	size_t klen, vlen;
	bool ok;

	memset(s, 0, sizeof(*s));
	*dirsp = 1;
	while (p < stop) {
		for (end = p; end < stop && *end != ','; end++)
			continue;
		for (eq = p; eq < end && *eq != '='; eq++)
			continue;
		if (eq == end)
			return EINVAL;
		klen = (size_t)(eq - p);
		eq++;
		vlen = (size_t)(end - eq);
#define KEY(k) (klen == sizeof(k) - 1 && strncmp(p, k, klen) == 0)
#define VAL(k) (vlen == sizeof(k) - 1 && strncmp(eq, k, vlen) == 0)
		if (KEY("seed"))
			ok = if_fault_parse_uint(eq, vlen, &seed);
		else if (KEY("drop") || KEY("loss"))
			ok = if_fault_parse_share(eq, vlen, &s->fs_drop);
		else if (KEY("dup"))
			ok = if_fault_parse_share(eq, vlen, &s->fs_dup);
		else if (KEY("reorder"))
			ok = if_fault_parse_share(eq, vlen, &s->fs_reorder);
		else if (KEY("corrupt"))
			ok = if_fault_parse_share(eq, vlen, &s->fs_corrupt);
		else if (KEY("delay")) {
			ok = if_fault_parse_uint(eq, vlen, &v) && v <= 60000;
			s->fs_delay_ns = v * 1000000;
		} else if (KEY("dir")) {
			ok = true;
			if (VAL("rx"))
				*dirsp = 1;
			else if (VAL("tx"))
				*dirsp = 2;
			else if (VAL("both"))
				*dirsp = 3;
			else
				ok = false;
		} else
			ok = false;
#undef VAL
#undef KEY
		if (!ok)
			return EINVAL;
		p = end < stop ? end + 1 : end;
	}
	s->fs_rng = seed != 0 ? seed : 1;
	return 0;
}

/* Onto side s's delay queue, due at due (uptime ns), or dropped if full; (f). */
static void
if_fault_enqueue(struct if_fault_side *s, struct mbuf *m, uint64_t due)
{
	struct if_fault_delayed *fd;

	if (s->fs_q == NULL || s->fs_qcount == IF_FAULT_DELAYQ) {
		s->fs_st.fs_overflow++;
		m_freem(m);
		return;
	}
	fd = &s->fs_q[(s->fs_qhead + s->fs_qcount) % IF_FAULT_DELAYQ];
	fd->fd_m = m;
	fd->fd_due = due;
	s->fs_qcount++;
	s->fs_st.fs_delay++;
}

/* Side dir's held and delayed frames that are due by now onto fl; (f). */
static void
if_fault_due(struct if_fault_side *s, uint64_t now, struct if_fault_list *fl,
    uint64_t *nextp)
{
	struct if_fault_delayed *fd;

	if (s->fs_held != NULL) {
		if (now - s->fs_held_at >= IF_FAULT_HOLD_NS) {
			/* Nothing came behind it: it goes alone, as late as set. */
			if (s->fs_delay_ns == 0)
				if_fault_list_add(fl, s->fs_held);
			else
				if_fault_enqueue(s, s->fs_held,
				    s->fs_held_at + s->fs_delay_ns);
			s->fs_held = NULL;
		} else if (s->fs_held_at + IF_FAULT_HOLD_NS < *nextp)
			*nextp = s->fs_held_at + IF_FAULT_HOLD_NS;
	}
	while (s->fs_qcount > 0) {
		fd = &s->fs_q[s->fs_qhead];
		if (fd->fd_due > now) {
			if (fd->fd_due < *nextp)
				*nextp = fd->fd_due;
			break;
		}
		if_fault_list_add(fl, fd->fd_m);
		fd->fd_m = NULL;
		s->fs_qhead = (s->fs_qhead + 1) % IF_FAULT_DELAYQ;
		s->fs_qcount--;
	}
}

static void
if_fault_thread(void *arg)
{
	struct if_fault *f = arg;
	struct if_fault_list fl[2];
	uint64_t now, next;
	int dir;

	mutex_enter(&f->f_lock);
	while (!f->f_stopped) {
		now = getnsecuptime();
		next = UINT64_MAX;
		for (dir = 0; dir < 2; dir++) {
			fl[dir].fl_head = NULL;
			fl[dir].fl_tail = &fl[dir].fl_head;
			if_fault_due(&f->f_side[dir], now, &fl[dir], &next);
		}
		if (fl[0].fl_head != NULL || fl[1].fl_head != NULL) {
			mutex_exit(&f->f_lock);
			for (dir = 0; dir < 2; dir++)
				if_fault_list_run(f, dir, &fl[dir]);
			mutex_enter(&f->f_lock);
			continue;
		}
		if (next == UINT64_MAX)
			cv_wait(&f->f_cv, &f->f_lock);
		else
			(void)cv_timedwait_ns(&f->f_cv, &f->f_lock, next - now);
	}
	mutex_exit(&f->f_lock);
	kthread_exit(0);
}

struct if_fault *
if_fault_create(struct ifnet *ifp, if_fault_pass_t rx, if_fault_pass_t tx)
{
	struct if_fault *f;

	if ((f = kmem_zalloc(sizeof(*f), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&f->f_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&f->f_cv, "iffault");
	f->f_ifp = ifp;
	f->f_pass[IF_FAULT_RX] = rx;
	f->f_pass[IF_FAULT_TX] = tx;
	f->f_side[0].fs_rng = f->f_side[1].fs_rng = 1;
	return f;
}

/* Free side s's held and delayed frames; (f). */
static void
if_fault_purge(struct if_fault_side *s)
{
	if (s->fs_held != NULL)
		m_freem(s->fs_held);
	s->fs_held = NULL;
	while (s->fs_qcount > 0) {
		m_freem(s->fs_q[s->fs_qhead].fd_m);
		s->fs_qhead = (s->fs_qhead + 1) % IF_FAULT_DELAYQ;
		s->fs_qcount--;
	}
}

void
if_fault_stop(struct if_fault *f)
{
	struct lwp *l;

	mutex_enter(&f->f_lock);
	f->f_stopped = true;
	atomic_store_release(&f->f_on[0], true);
	atomic_store_release(&f->f_on[1], true);
	l = f->f_thread;
	f->f_thread = NULL;
	cv_broadcast(&f->f_cv);
	mutex_exit(&f->f_lock);
	if (l != NULL)
		kthread_join(l);
	mutex_enter(&f->f_lock);
	if_fault_purge(&f->f_side[0]);
	if_fault_purge(&f->f_side[1]);
	mutex_exit(&f->f_lock);
}

void
if_fault_destroy(struct if_fault *f)
{
	if (f == NULL)
		return;
	if (!f->f_stopped)
		if_fault_stop(f);
	for (int dir = 0; dir < 2; dir++)
		if (f->f_side[dir].fs_q != NULL)
			kmem_free(f->f_side[dir].fs_q,
			    IF_FAULT_DELAYQ * sizeof(*f->f_side[dir].fs_q));
	cv_destroy(&f->f_cv);
	mutex_destroy(&f->f_lock);
	kmem_free(f, sizeof(*f));
}

static bool
if_fault_any(const struct if_fault_side *s)
{
	return s->fs_drop != 0 || s->fs_dup != 0 || s->fs_reorder != 0 ||
	    s->fs_corrupt != 0 || s->fs_delay_ns != 0;
}

int
if_fault_set(struct if_fault *f, const char *spec, size_t len)
{
	struct if_fault_side set, *s;
	struct lwp *l = NULL;
	int dirs, dir, error;
	bool any;

	if ((error = if_fault_parse(spec, len, &set, &dirs)) != 0)
		return error;
	any = if_fault_any(&set);
	mutex_enter(&f->f_lock);
	if (f->f_stopped) {
		mutex_exit(&f->f_lock);
		return ENXIO;
	}
	if (any && f->f_thread == NULL) {
		error = kthread_create(PRI_NONE,
		    KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL, if_fault_thread, f,
		    &l, "%s.fault", f->f_ifp->if_xname);
		if (error != 0) {
			mutex_exit(&f->f_lock);
			return error;
		}
		f->f_thread = l;
	}
	for (dir = 0; dir < 2; dir++) {
		s = &f->f_side[dir];
		s->fs_drop = s->fs_dup = s->fs_reorder = s->fs_corrupt = 0;
		s->fs_delay_ns = 0;
		/* The sides' generators differ, each repeats with the seed. */
		s->fs_rng = set.fs_rng ^ (dir == 0 ? 0 : 0x9e3779b97f4a7c15ull);
		if (s->fs_rng == 0)
			s->fs_rng = 1;
		if ((dirs & (1 << dir)) != 0) {
			s->fs_drop = set.fs_drop;
			s->fs_dup = set.fs_dup;
			s->fs_reorder = set.fs_reorder;
			s->fs_corrupt = set.fs_corrupt;
			s->fs_delay_ns = set.fs_delay_ns;
		}
		if (s->fs_delay_ns != 0 && s->fs_q == NULL)
			s->fs_q = kmem_zalloc(IF_FAULT_DELAYQ * sizeof(*s->fs_q),
			    KM_SLEEP);
		atomic_store_release(&f->f_on[dir], if_fault_any(s));
	}
	/* Held and delayed frames go on by the thread as they fall due. */
	cv_broadcast(&f->f_cv);
	mutex_exit(&f->f_lock);
	return 0;
}

bool
if_fault_on(struct if_fault *f, int dir)
{
	return f != NULL && atomic_load_acquire(&f->f_on[dir]);
}

void
if_fault_pass(struct if_fault *f, int dir, struct mbuf *m)
{
	struct if_fault_side *s = &f->f_side[dir];
	struct if_fault_list now = { NULL, &now.fl_head };
	struct mbuf *out[3], *dup = NULL, *prev, *c;
	uint64_t due;
	uint8_t b;
	int off, n = 0;
	bool wake = false;

	mutex_enter(&f->f_lock);
	if (f->f_stopped || if_fault_chance(s, s->fs_drop)) {
		if (!f->f_stopped)
			s->fs_st.fs_drop++;
		mutex_exit(&f->f_lock);
		m_freem(m);
		return;
	}
	/*
	 * Corrupt a private copy: a frame's storage may be shared (a
	 * socket buffer's, for TCP to send again) and m_copyback writes.
	 */
	if (m->m_pkthdr.len > 0 && if_fault_chance(s, s->fs_corrupt) &&
	    (c = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) != NULL) {
		m_freem(m);
		m = c;
		off = (int)(if_fault_rand(s) % (uint64_t)m->m_pkthdr.len);
		m_copydata(m, off, 1, &b);
		b ^= (uint8_t)(1u << (if_fault_rand(s) % 8));
		(void)m_copyback(m, off, 1, &b);
		s->fs_st.fs_corrupt++;
	}
	if (if_fault_chance(s, s->fs_dup) &&
	    (dup = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) != NULL)
		s->fs_st.fs_dup++;
	prev = s->fs_held;
	s->fs_held = NULL;
	if (prev == NULL && if_fault_chance(s, s->fs_reorder)) {
		s->fs_held = m;
		s->fs_held_at = getnsecuptime();
		s->fs_st.fs_reorder++;
		m = dup;
		dup = NULL;
		wake = true;
	}
	/* A held frame waits only if nothing came behind it. */
	if (m == NULL && prev != NULL) {
		s->fs_held = prev;
		prev = NULL;
	}
	out[n] = m;
	n += m != NULL;
	out[n] = dup;
	n += dup != NULL;
	out[n] = prev;
	n += prev != NULL;
	due = getnsecuptime() + s->fs_delay_ns;
	for (int i = 0; i < n; i++) {
		if (s->fs_delay_ns == 0) {
			if_fault_list_add(&now, out[i]);
			continue;
		}
		wake |= s->fs_qcount == 0;
		if_fault_enqueue(s, out[i], due);
	}
	if (wake)
		cv_signal(&f->f_cv);
	mutex_exit(&f->f_lock);
	if_fault_list_run(f, dir, &now);
}

void
if_fault_stats(struct if_fault *f, int dir, struct if_fault_stats *st)
{
	mutex_enter(&f->f_lock);
	*st = f->f_side[dir].fs_st;
	mutex_exit(&f->f_lock);
}
