/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP inside the kernel (RFC 9293): the connection block (struct tcpcb),
 * the counters (net.inet.tcp.stats), the congestion-control modules, the
 * SYN cache and the routines the tcp_*.c files share.
 *
 * Files: tcp_subr.c (connection blocks, ISNs, replies, counters, sysctl),
 * tcp_input.c (segment arrival), tcp_output.c (segment departure),
 * tcp_timer.c (callouts), tcp_congctl.c (NewReno, CUBIC), tcp_sack.c
 * (SACK blocks and the sender's scoreboard), tcp_syncache.c (the SYN
 * queue and SYN cookies), tcp_usrreq.c (the protocol switch's entries).
 *
 * A connection is an inpcb (in_pcb.h) with a tcpcb hanging from
 * inp_ppcb.  One state machine serves both families: what differs (the
 * network header, its checksum, the path MTU) is decided by the PCB's
 * INP_IPV6, and the IPv6 side (libnetinet6's tcp6_*.c, which this
 * library does not link against) is reached through tcp6_hooks.  A
 * segment's or connection's addresses travel as a struct tcp_ends.  The tcpcb lives from pr_attach (or syncache expansion) to
 * tcp_close(); a closed tcpcb whose timer handler is about to run stays
 * allocated (TF_DEAD) until that handler frees it (tcp_timer.c).
 *
 * Locking: (n) softnet_lock covers every field here, all of TCP's
 * globals and every inet socket; TCP never sleeps holding anything else.
 * Lock order: the sysctl tree lock (held by the handlers of
 * net.inet.tcp.stats and pcblist), then softnet_lock, then the callout
 * lock (taken inside callout_*).  Timer handlers take softnet_lock
 * with nothing held.
 */
#ifndef _NETINET_TCP_VAR_H_
#define _NETINET_TCP_VAR_H_

#include <sys/types.h>
#include <sys/callout.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_seq.h>
#include <netinet/tcp_stat.h>
#include <netinet/tcp_timer.h>

struct inpcb;
struct inpcbtable;
struct in_route;
struct mbuf;
struct socket;
struct sockopt;
struct tcpcb;
struct pr_usrreqs;

/* A segment held for reassembly (n). */
struct tcpqent {
	TAILQ_ENTRY(tcpqent) tqe_q;
	struct mbuf *tqe_m;             /* the data, header stripped */
	tcp_seq tqe_seq;
	int tqe_len;                    /* bytes of data */
	int tqe_flags;                  /* TH_FIN of the segment */
};
TAILQ_HEAD(tcpqehead, tcpqent);

/* A range of sequence space: a SACK block or a hole. */
struct tcp_sackblk {
	tcp_seq start;
	tcp_seq end;
};

#define TCP_SACK_MAXBLKS   4            /* blocks we send (RFC 2018 3) */
#define TCP_SACK_MAXHOLES  64           /* ranges of the scoreboard */

/* The congestion-control state of CUBIC (RFC 9438), per connection. */
struct tcp_cubic {
	uint64_t cu_epoch;              /* us of uptime the epoch began; 0: none */
	uint32_t cu_wmax;               /* bytes: window before the last reduction */
	uint32_t cu_wlastmax;           /* bytes: the one before (fast convergence) */
	uint32_t cu_k;                  /* ms from the epoch to reach cu_wmax */
	uint32_t cu_west;               /* bytes: the Reno-friendly estimate */
	uint32_t cu_origin;             /* bytes: window the epoch starts from */
};

/*
 * A congestion-control module (tcp_congctl.c).  Recovery mechanics
 * (fast retransmit, NewReno partial ACKs, the SACK pipe) are common;
 * a module decides the window: how it grows on an ACK outside recovery,
 * what ssthresh and cwnd become on a loss seen by duplicate ACKs, and
 * on a retransmission timeout.
 */
struct tcp_congctl {
	const char *cc_name;
	void (*cc_init)(struct tcpcb *);
	/* acked new bytes arrived outside recovery. */
	void (*cc_ack)(struct tcpcb *, uint32_t acked);
	/* Loss seen by duplicate ACKs or SACK: set ssthresh and cwnd. */
	void (*cc_fastretransmit)(struct tcpcb *);
	/* Retransmission timeout. */
	void (*cc_timeout)(struct tcpcb *);
	/* Recovery ended by a full ACK. */
	void (*cc_recovered)(struct tcpcb *);
};

/*
 * A connection.  Sequence variables are RFC 9293 3.3.1's.  Times are
 * microseconds of uptime (tcp_now()).
 */
struct tcpcb {
	struct inpcb *t_inpcb;          /* n: the PCB, NULL once closed */
	int t_state;                    /* n: TCPS_* (tcp_set_state) */
	unsigned t_flags;               /* n: TF_* */
	callout_t t_timer[TCPT_NTIMERS]; /* n */
	uint64_t t_deadline[TCPT_NTIMERS]; /* n: when each is due; 0: off */
	uint64_t t_calloutdl[TCPT_NTIMERS]; /* n: when its callout is set to run */

	/* Reassembly: out-of-order segments, bounded (tcp_reass_maxseg, bytes). */
	struct tcpqehead t_segq;        /* n */
	int t_segqlen;                  /* n */
	int t_segqbytes;                /* n */

	/* Send sequence space. */
	tcp_seq snd_una;                /* n: oldest unacknowledged */
	tcp_seq snd_nxt;                /* n: next to send */
	tcp_seq snd_max;                /* n: highest sent + 1 */
	tcp_seq snd_up;                 /* n: urgent pointer */
	tcp_seq snd_wl1;                /* n: seq of the last window update */
	tcp_seq snd_wl2;                /* n: ack of the last window update */
	tcp_seq iss;                    /* n */
	uint32_t snd_wnd;               /* n: peer's window, bytes */
	uint32_t max_sndwnd;            /* n: largest window the peer offered */
	uint32_t snd_cwnd;              /* n: congestion window, bytes */
	uint32_t snd_ssthresh;          /* n */
	uint32_t t_bytes_acked;         /* n: congestion avoidance byte counter */
	tcp_seq snd_recover;            /* n: snd_max at the start of recovery */
	int t_dupacks;                  /* n: consecutive duplicate ACKs */

	/* Receive sequence space. */
	tcp_seq rcv_nxt;                /* n */
	tcp_seq rcv_adv;                /* n: right edge we advertised */
	tcp_seq rcv_up;                 /* n: urgent pointer */
	tcp_seq irs;                    /* n */
	uint32_t rcv_wnd;               /* n */
	int t_quickack;                 /* n: segments still to acknowledge at once */

	/* Segment sizes. */
	unsigned t_maxseg;              /* n: bytes of data per segment we send */
	unsigned t_peermss;             /* n: the peer's MSS option (536 without) */
	unsigned t_ourmss;              /* n: the MSS we advertise */
	unsigned t_usermss;             /* n: TCP_MAXSEG, 0: none */
	unsigned t_pmtu;                /* n: path MTU in use */
	unsigned t_rcvmss;              /* n: largest segment received */

	/* Options (RFC 7323, RFC 2018). */
	uint8_t snd_scale;              /* n: shift of the peer's window */
	uint8_t rcv_scale;              /* n: shift of ours */
	uint8_t request_r_scale;        /* n: the shift we offered */
	uint8_t requested_s_scale;      /* n: the shift the peer offered */
	uint32_t ts_recent;             /* n: the peer's last valid TSval */
	uint64_t ts_recent_age;         /* n: when it was stored */
	uint32_t ts_offset;             /* n: our TSval's per-connection offset */
	tcp_seq last_ack_sent;          /* n */

	/* Round-trip time (RFC 6298), microseconds. */
	uint32_t t_srtt;                /* n: 0: no sample yet */
	uint32_t t_rttvar;              /* n */
	uint32_t t_rto;                 /* n: current RTO before backoff */
	uint32_t t_minrtt;              /* n */
	tcp_seq t_rtseq;                /* n: the sequence being timed */
	uint64_t t_rtttime;             /* n: when it was sent; 0: none */
	int t_rxtshift;                 /* n: retransmissions of snd_una */
	uint64_t t_rxtfirst;            /* n: when the first of them went */
	uint64_t t_usertimeout;         /* n: TCP_USER_TIMEOUT, us; 0: none */
	int t_syncnt;                   /* n: TCP_SYNCNT: SYN retransmissions */
	int t_persistshift;             /* n: persist backoff */

	/* Keepalive (SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT), microseconds. */
	uint64_t t_keepidle;            /* n */
	uint64_t t_keepintvl;           /* n */
	int t_keepcnt;                  /* n */
	int t_keepprobes;               /* n: sent and unanswered */

	/* Congestion control. */
	const struct tcp_congctl *t_cc; /* n */
	struct tcp_cubic t_cubic;       /* n */

	/* SACK: blocks we report, and the peer's view of our data. */
	struct tcp_sackblk rcv_sack[TCP_SACK_MAXBLKS]; /* n: most recent first */
	int rcv_numsacks;               /* n */
	struct tcp_sackblk snd_sacked[TCP_SACK_MAXHOLES]; /* n: sorted, disjoint */
	int snd_numsacked;              /* n */
	tcp_seq snd_fack;               /* n: highest sequence SACKed + 1 */
	tcp_seq sack_rxmit;             /* n: next byte to retransmit in recovery */
	tcp_seq sack_pass_mark;         /* n: snd_max when a pass over the holes ended */
	bool sack_pass_done;            /* n: every hole was resent once */

	/* Urgent data (RFC 6093). */
	uint8_t t_oobflags;             /* n: TCPOOB_* */
	char t_iobc;                    /* n: the urgent byte, when taken out of band */

	/* What TCP_INFO reports. */
	uint64_t t_rcvtime;             /* n: last segment received */
	uint64_t t_lastdatasent;        /* n */
	uint64_t t_lastdatarecv;        /* n */
	uint64_t t_lastackrecv;         /* n */
	uint32_t t_totalretrans;        /* n: segments retransmitted */
	uint32_t t_segsin, t_segsout;   /* n */
	uint32_t t_datasegsin, t_datasegsout; /* n */
	uint64_t t_bytesacked;          /* n */
	uint64_t t_bytesreceived;       /* n */
	uint64_t t_bytessent;           /* n */
	uint64_t t_bytesretrans;        /* n */
	uint32_t t_rcvooopack;          /* n */
	int t_softerror;                /* n: last ICMP error, for ETIMEDOUT's place */
};

/* Segments acknowledged at once after a sign of a short window (tcp_input.c). */
#define TCP_QUICKACKS 16

/* t_flags */
#define TF_ACKNOW       0x00000001      /* send an ACK now */
#define TF_DELACK       0x00000002      /* an ACK is owed (DELACK timer armed) */
#define TF_NODELAY      0x00000004      /* TCP_NODELAY: no Nagle */
#define TF_SENTFIN      0x00000010      /* our FIN has been sent */
#define TF_REQ_SCALE    0x00000020      /* we offer window scaling */
#define TF_RCVD_SCALE   0x00000040      /* the peer offered it */
#define TF_REQ_TSTMP    0x00000080      /* we offer timestamps */
#define TF_RCVD_TSTMP   0x00000100      /* the peer sent them */
#define TF_SACK_PERMIT  0x00000200      /* both sides allow SACK */
#define TF_CORK         0x00000400      /* TCP_CORK */
#define TF_FASTRECOVERY 0x00000800      /* in fast recovery */
#define TF_DEAD         0x00001000      /* closed, freed by the last timer */
#define TF_FORCEDATA    0x00002000      /* a window probe or keepalive */
#define TF_WANT_SACK    0x00004000      /* we offer SACK */
#define TF_RCVD_SACK    0x00008000      /* the peer offered it */
#define TF_NEEDFIN      0x00020000      /* send FIN once the data is out */

/* t_oobflags */
#define TCPOOB_HAVEDATA 0x01            /* t_iobc holds a byte not yet read */
#define TCPOOB_HADDATA  0x02            /* it was read */

#define intotcpcb(inp)  ((struct tcpcb *)(inp)->inp_ppcb)
#define sototcpcb(so)   (intotcpcb((struct inpcb *)(so)->so_pcb))
#define tcp_socket(tp)  ((tp)->t_inpcb->inp_socket)

/*
 * The two ends of a segment or connection: ours (l) and the peer's (f),
 * ports in network order.  IPv6 ones (te_v6) in the in6_addr fields,
 * with the interface a link-local peer is on; IPv4 ones in the
 * in_addr fields.  Everything unused is zero.
 */
struct tcp_ends {
	bool te_v6;
	in_port_t te_lport, te_fport;
	struct in_addr te_laddr, te_faddr;
	struct in6_addr te_laddr6, te_faddr6;
	uint32_t te_scope;
};

/*
 * What TCP needs of IPv6, set by netinet6 when it boots (NULL: no IPv6).
 * Called with softnet_lock held.
 */
struct tcp6_hooks {
	/*
	 * Send m: an ip6_hdr (nxt, src, dst set), then the TCP segment
	 * without its checksum; to the interface of scope for a link-local
	 * destination; inp (may be NULL) gives the hop limit and traffic
	 * class.  Consumes m; EMSGSIZE above the path MTU.
	 */
	int (*th6_output)(struct mbuf *, const struct inpcb *, uint32_t scope);
	/* The path MTU to dst; 0 without a route. */
	unsigned (*th6_pathmtu)(const struct in6_addr *dst, uint32_t scope);
	/* Whether dst is one of our addresses (the path is lo0). */
	bool (*th6_islocal)(const struct in6_addr *dst);
	/* The PCB a segment between te's ends belongs to: connected, else listening. */
	struct inpcb *(*th6_lookup)(const struct tcp_ends *);
};
extern const struct tcp6_hooks *tcp6_hooks;

/* Header bytes in front of TCP's: IPv4's 20 or IPv6's 40. */
#define TCP_IPHLEN(v6) ((v6) ? 40U : 20U)

/* Segment arrival info shared between tcp_input's helpers. */
struct tcp_opt {
	int to_flags;                   /* TOF_* */
	uint16_t to_mss;
	uint8_t to_wscale;
	uint32_t to_tsval;
	uint32_t to_tsecr;
	int to_nsacks;
	struct tcp_sackblk to_sacks[TCP_SACK_MAXBLKS];
};
#define TOF_MSS      0x01
#define TOF_SCALE    0x02
#define TOF_SACKPERM 0x04
#define TOF_TS       0x08
#define TOF_SACK     0x10

/* Tunables (net.inet.tcp), n. */
extern int tcp_do_rfc1323;
extern int tcp_do_sack;
extern int tcp_sendspace;
extern int tcp_recvspace;
extern int tcp_mssdflt;
extern int tcp_msl_ms;
extern int tcp_keepidle_s;
extern int tcp_keepintvl_s;
extern int tcp_keepcnt;
extern int tcp_syncookies;
extern int tcp_syncache_limit;
extern int tcp_reass_maxseg;
extern int tcp_challenge_limit;
extern int tcp_initcwnd;
extern int tcp_rtomin_ms;
extern int tcp_drop_port;
extern int tcp_rexmit_max;
extern const struct tcp_congctl *tcp_congctl_default;

extern struct tcpstat tcpstat;          /* n */
extern struct inpcbtable tcbtable;      /* n */

/* tcp_subr.c */
void tcp_init(void);
uint64_t tcp_now(void);
uint32_t tcp_ts_now(const struct tcpcb *);
struct tcpcb *tcp_newtcpcb(struct inpcb *);
void tcp_set_state(struct tcpcb *, int state);
/* Close: the PCB and (if it has no descriptor) the socket go; NULL. */
struct tcpcb *tcp_close(struct tcpcb *);
/* Drop with errno: RST to a synchronised peer, then close; NULL. */
struct tcpcb *tcp_drop(struct tcpcb *, int error);
void tcp_free(struct tcpcb *);
tcp_seq tcp_new_isn(const struct tcp_ends *);
uint32_t tcp_ts_offset(const struct tcp_ends *);
/* The ends of a PCB. */
void tcp_ends_of(const struct inpcb *, struct tcp_ends *);
/* Give a PCB these ends and put it on the connection chains. */
void tcp_ends_connect(struct inpcb *, const struct tcp_ends *);
uint64_t tcp_siphash(const uint8_t key[16], const void *, size_t);
extern uint8_t tcp_secret[16];
/*
 * Send a bare segment (RST, ACK, challenge ACK): between the ends given
 * (NULL: tp's), seq/ack/flags as given, window of tp if any.
 */
void tcp_respond(struct tcpcb *, const struct tcp_ends *, tcp_seq seq,
    tcp_seq ack, int flags);
/*
 * MSS toward the peer of te: the path MTU less headers; ro (may be
 * NULL) caches the IPv4 route.
 */
unsigned tcp_mss_to(const struct tcp_ends *, struct in_route *ro);
/* The same for a PCB's peer. */
unsigned tcp_mss_for(struct inpcb *);
/* Set t_maxseg from the peer's MSS option and our path. */
void tcp_mss_update(struct tcpcb *, unsigned peermss);
/* Whether the route to faddr is through a loopback interface. */
bool tcp_route_is_loop(struct inpcb *);
void tcp_notify(struct inpcb *, int error);
void tcp_mtudisc(struct inpcb *, int mtu);
int tcp_rate_challenge(void);
int tcp_state_of(const struct inpcb *);
struct sysctl_req;
int tcp_sysctl_pcblist_family(struct sysctl_req *, bool v6, size_t recsize,
    void (*fill)(void *, const struct inpcb *));
void tcp_conn_state(const struct inpcb *, uint8_t *statep, uint32_t *rcvccp,
    uint32_t *sndccp);
void tcp_reass_flush(struct tcpcb *);

/* tcp_input.c */
void tcp_input(struct mbuf *, int off, int proto);
/*
 * A segment whose network header was checked (length, checksum, no
 * multicast or broadcast): the TCP header at off of m, tlen bytes of
 * segment; te's addresses set (the ports are taken from the header).
 * IPv6 input (tcp6_input) joins here.  Consumes m.
 */
void tcp_input_segment(struct mbuf *, int off, int tlen, const struct tcp_ends *);
/*
 * An ICMP or ICMPv6 error quoting the segment th sent from the PCB inp:
 * the quoted sequence number checked (RFC 5927 4.1), then error
 * (an errno; EMSGSIZE: a new path MTU mtu) applied.
 */
void tcp_ctlerror(struct inpcb *, const struct tcphdr *th, int error,
    unsigned mtu);
/* Start an active open on a PCB connect gave its ends to. */
int tcp_connect_start(struct tcpcb *);
int tcp_dooptions(struct tcp_opt *, const uint8_t *cp, int cnt, int thflags);
void tcp_xmit_timer(struct tcpcb *, uint32_t rtt_us);
void tcp_established(struct tcpcb *);

/* tcp_output.c */
int tcp_output(struct tcpcb *);
void tcp_setpersist(struct tcpcb *);
/* Build the options of a SYN or SYN-ACK into opt (40 bytes); its length. */
int tcp_synopts(uint8_t *opt, unsigned mss, int wscale, bool sack, bool ts,
    uint32_t tsval, uint32_t tsecr);
/* The window shift that lets a buffer of hiwat bytes be advertised. */
uint8_t tcp_wscale_for(unsigned long hiwat);

/* tcp_timer.c */
void tcp_timer_init(struct tcpcb *);
void tcp_timer_arm(struct tcpcb *, int which, uint64_t us);
void tcp_timer_disarm(struct tcpcb *, int which);
bool tcp_timer_armed(const struct tcpcb *, int which);
void tcp_timers_stop(struct tcpcb *);
bool tcp_timers_busy(struct tcpcb *);
uint64_t tcp_rexmt_us(const struct tcpcb *);
uint64_t tcp_msl_us(void);

/* tcp_congctl.c */
const struct tcp_congctl *tcp_congctl_byname(const char *);
void tcp_congctl_select(struct tcpcb *, const struct tcp_congctl *);
extern const struct tcp_congctl tcp_newreno;
extern const struct tcp_congctl tcp_cubic_cc;
uint32_t tcp_flightsize(const struct tcpcb *);

/* tcp_sack.c */
void tcp_sack_rcv_update(struct tcpcb *, tcp_seq start, tcp_seq end);
void tcp_sack_rcv_trim(struct tcpcb *);
int tcp_sack_rcv_opts(struct tcpcb *, uint8_t *opt, int room);
void tcp_sack_snd_update(struct tcpcb *, const struct tcp_opt *);
void tcp_sack_snd_clear(struct tcpcb *);
uint32_t tcp_sack_pipe(const struct tcpcb *);
/* The next range to retransmit in recovery (RFC 6675 NextSeg); false: none. */
bool tcp_sack_nextseg(struct tcpcb *, tcp_seq *seqp, uint32_t *lenp);
/* Bytes the peer reported above snd_una. */
uint32_t tcp_sack_bytes(const struct tcpcb *);

/* tcp_syncache.c */
void tcp_syncache_init(void);
/* A SYN to a listener: answer it (cache or cookie).  m is not consumed. */
void tcp_syncache_syn(struct tcpcb *ltp, const struct tcp_ends *,
    const struct tcphdr *, const struct tcp_opt *, int tlen);
/*
 * An ACK (no SYN, no RST) to a listener: the connection it completes,
 * its socket connected and on the listener's queue; NULL if none (the
 * caller answers with RST if *rstp).
 */
struct tcpcb *tcp_syncache_ack(struct tcpcb *ltp, const struct tcp_ends *,
    const struct tcphdr *, const struct tcp_opt *, bool *rstp);
void tcp_syncache_rst(struct tcpcb *ltp, const struct tcp_ends *,
    const struct tcphdr *);
/* Forget the entries of a listener that closes. */
void tcp_syncache_purge(struct tcpcb *ltp);

/* tcp_usrreq.c */
extern const struct pr_usrreqs tcp_usrreqs;
int tcp_ctloutput(int op, struct socket *, struct sockopt *);
void tcp_ctlinput(int cmd, const struct sockaddr *, void *ctx);
int tcp_attach_pcb(struct socket *);
void tcp_fill_info(struct tcpcb *, struct tcp_info *);
void tcp_usrclosed(struct tcpcb *);

#endif /* _NETINET_TCP_VAR_H_ */
