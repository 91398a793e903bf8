/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What TCP reports through sysctl under net.inet.tcp (CTL_NET, PF_INET,
 * IPPROTO_TCP, TCPCTL_*): the counters (struct tcpstat, "stats", every
 * field a uint64_t), the connection list ("pcblist", an array of struct
 * tcp_conninfo) and the tunables' numbers.  This header includes nothing
 * and needs only uint64_t and friends, so clients and tests can use it
 * beside the host's headers.
 */
#ifndef _NETINET_TCP_STAT_H_
#define _NETINET_TCP_STAT_H_

/* The counters, netstat -s style (net.inet.tcp.stats). */
struct tcpstat {
	uint64_t tcps_connattempt;      /* connect(2)s started */
	uint64_t tcps_accepts;          /* connections accepted */
	uint64_t tcps_connects;         /* connections established */
	uint64_t tcps_drops;            /* established connections dropped */
	uint64_t tcps_conndrops;        /* embryonic connections dropped */
	uint64_t tcps_closed;           /* connections closed */
	uint64_t tcps_timeoutdrop;      /* dropped by retransmission timeouts */
	uint64_t tcps_rexmttimeo;       /* retransmission timeouts */
	uint64_t tcps_persisttimeo;     /* persist timeouts (window probes) */
	uint64_t tcps_keeptimeo;        /* keepalive timeouts */
	uint64_t tcps_keepprobe;        /* keepalive probes sent */
	uint64_t tcps_keepdrops;        /* dropped by keepalive */
	uint64_t tcps_sndtotal;         /* segments sent */
	uint64_t tcps_sndpack;          /* data segments sent */
	uint64_t tcps_sndbyte;          /* data bytes sent */
	uint64_t tcps_sndrexmitpack;    /* data segments retransmitted */
	uint64_t tcps_sndrexmitbyte;
	uint64_t tcps_sndacks;          /* pure ACKs sent */
	uint64_t tcps_delack;           /* delayed ACKs sent */
	uint64_t tcps_sndprobe;         /* window probes sent */
	uint64_t tcps_sndurg;           /* segments with URG sent */
	uint64_t tcps_sndwinup;         /* window updates sent */
	uint64_t tcps_sndctrl;          /* SYN, FIN, RST sent */
	uint64_t tcps_rcvtotal;         /* segments received */
	uint64_t tcps_rcvpack;          /* data segments in order */
	uint64_t tcps_rcvbyte;
	uint64_t tcps_rcvbadsum;        /* bad checksum */
	uint64_t tcps_rcvbadoff;        /* bad data offset */
	uint64_t tcps_rcvshort;         /* too short */
	uint64_t tcps_rcvbadopt;        /* malformed options (ignored) */
	uint64_t tcps_rcvduppack;       /* duplicate data segments */
	uint64_t tcps_rcvdupbyte;
	uint64_t tcps_rcvpartduppack;   /* partly duplicate */
	uint64_t tcps_rcvoopack;        /* out of order, queued */
	uint64_t tcps_rcvoobyte;
	uint64_t tcps_rcvreassfull;     /* out of order, dropped: queue full */
	uint64_t tcps_rcvpackafterwin;  /* data beyond the window */
	uint64_t tcps_rcvafterclose;    /* data after the socket closed */
	uint64_t tcps_rcvwinprobe;      /* window probes received */
	uint64_t tcps_rcvdupack;        /* duplicate ACKs */
	uint64_t tcps_rcvacktoomuch;    /* ACKs for data not sent */
	uint64_t tcps_rcvackpack;       /* ACKs of new data */
	uint64_t tcps_rcvackbyte;
	uint64_t tcps_rcvwinupd;        /* window updates received */
	uint64_t tcps_predack;          /* header prediction: pure ACK */
	uint64_t tcps_preddat;          /* header prediction: in-order data */
	uint64_t tcps_rttupdated;       /* RTT samples */
	uint64_t tcps_fastrexmit;       /* fast retransmissions */
	uint64_t tcps_recoveries;       /* fast recoveries entered */
	uint64_t tcps_sack_rexmits;     /* retransmissions chosen by SACK */
	uint64_t tcps_sack_rcvblocks;   /* SACK blocks received */
	uint64_t tcps_sack_sndblocks;   /* SACK blocks sent */
	uint64_t tcps_pawsdrop;         /* dropped by PAWS */
	uint64_t tcps_challengeack;     /* RFC 5961 challenge ACKs sent */
	uint64_t tcps_challengeack_limited; /* not sent: over the rate limit */
	uint64_t tcps_rstignored;       /* RST out of window, dropped */
	uint64_t tcps_synignored;       /* SYN in a synchronised state */
	uint64_t tcps_badack;           /* ACK outside the acceptable range */
	uint64_t tcps_noport;           /* segments for no socket: RST */
	uint64_t tcps_badsyn;           /* bad SYN, dropped */
	uint64_t tcps_listendrop;       /* SYNs dropped: accept queue full */
	uint64_t tcps_sc_added;         /* SYN cache entries made */
	uint64_t tcps_sc_completed;     /* connections made from it */
	uint64_t tcps_sc_overflow;      /* full: a cookie sent instead */
	uint64_t tcps_sc_retransmitted; /* SYN-ACKs resent */
	uint64_t tcps_sc_timeout;       /* entries given up */
	uint64_t tcps_sc_reset;         /* entries dropped by RST */
	uint64_t tcps_sc_dupesyn;       /* duplicate SYNs */
	uint64_t tcps_sc_sendcookie;    /* SYN cookies sent */
	uint64_t tcps_sc_recvcookie;    /* connections made from a cookie */
	uint64_t tcps_sc_badcookie;     /* ACKs with a cookie that failed */
	uint64_t tcps_timewaitreuse;    /* TIME_WAIT ended by a new SYN */
	uint64_t tcps_pmtuchange;       /* MSS lowered by ICMP */
	uint64_t tcps_nombuf;           /* segments not sent: no memory */
	uint64_t tcps_badrst;           /* RSTs out of window */
	uint64_t tcps_dropport;         /* dropped by net.inet.tcp.drop_port */
};

/* What net.inet.tcp.pcblist reports per connection. */
struct tcp_conninfo {
	uint32_t tci_laddr;             /* network byte order */
	uint32_t tci_faddr;
	uint16_t tci_lport;             /* network byte order */
	uint16_t tci_fport;
	uint8_t tci_state;              /* Linux's TCP_* */
	uint8_t tci_pad[3];
	uint32_t tci_rcvcc;             /* bytes waiting to be read */
	uint32_t tci_sndcc;             /* bytes waiting to be sent or acked */
};

/*
 * What net.inet6.tcp6.pcblist reports per IPv6 connection (those of
 * AF_INET6 sockets over IPv4, ::ffff:a.b.c.d, are in net.inet.tcp's).
 */
struct tcp6_conninfo {
	uint8_t tci6_laddr[16];
	uint8_t tci6_faddr[16];
	uint16_t tci6_lport;            /* network byte order */
	uint16_t tci6_fport;
	uint8_t tci6_state;             /* Linux's TCP_* */
	uint8_t tci6_pad[3];
	uint32_t tci6_rcvcc;
	uint32_t tci6_sndcc;
	uint32_t tci6_scope;            /* a link-local peer's interface */
};

/* sysctl: net.inet.tcp (CTL_NET, PF_INET, IPPROTO_TCP, TCPCTL_*). */
#define TCPCTL_RFC1323     1    /* int: window scaling and timestamps */
#define TCPCTL_SENDSPACE   2    /* int: default send buffer */
#define TCPCTL_RECVSPACE   3    /* int: default receive buffer */
#define TCPCTL_MSSDFLT     4    /* int: MSS without an option */
#define TCPCTL_SACK        5    /* int: SACK */
#define TCPCTL_MSL         6    /* int: MSL in milliseconds */
#define TCPCTL_KEEPIDLE    7    /* int: default keepalive idle, seconds */
#define TCPCTL_KEEPINTVL   8    /* int: seconds */
#define TCPCTL_KEEPCNT     9    /* int */
#define TCPCTL_SYNCOOKIES  10   /* int: use cookies when the cache is full */
#define TCPCTL_SYNCACHELIM 11   /* int: entries in the SYN cache */
#define TCPCTL_CONGCTL     12   /* string: "newreno" or "cubic" */
#define TCPCTL_REASSLIM    13   /* int: segments queued per connection */
#define TCPCTL_STATS       14   /* struct tcpstat */
#define TCPCTL_PCBLIST     15   /* struct tcp_conninfo[] */
#define TCPCTL_CHALLENGELIM 16  /* int: challenge ACKs per second */
#define TCPCTL_INITCWND    17   /* int: initial window, segments (RFC 6928) */
#define TCPCTL_RTOMIN      18   /* int: least RTO, milliseconds */
#define TCPCTL_DROPPORT    19   /* int: drop segments to or from this port (tests) */
#define TCPCTL_REXMITMAX   20   /* int: retransmissions before ETIMEDOUT */

#endif /* _NETINET_TCP_STAT_H_ */
