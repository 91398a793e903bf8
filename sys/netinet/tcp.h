/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP as a Linux client sees it: the header on the wire (RFC 9293 3.1),
 * the options of level IPPROTO_TCP with Linux's numbers, struct tcp_info
 * (TCP_INFO) with Linux's layout, and the connection states as Linux
 * numbers them in tcpi_state.  The kernel's own state machine
 * (<netinet/tcp_fsm.h>) uses the original's TCPS_ names and maps to these.
 *
 * struct tcphdr, all fields in network byte order:
 *   0  th_sport    16 bits   source port
 *   2  th_dport    16 bits   destination port
 *   4  th_seq      32 bits   sequence number
 *   8  th_ack      32 bits   acknowledgement number
 *  12  th_off:4    data offset in 32-bit words (5..15), th_x2:4 reserved
 *  13  th_flags    CWR ECE URG ACK PSH RST SYN FIN, high bit first
 *  14  th_win      16 bits   window (scaled after the handshake, RFC 7323)
 *  16  th_sum      checksum over the pseudo-header, header and data
 *  18  th_urp      urgent pointer: offset past th_seq of the byte after
 *                  the urgent data (RFC 6093)
 * Options follow to th_off * 4 bytes.
 */
#ifndef _NETINET_TCP_H_
#define _NETINET_TCP_H_

#include <sys/types.h>

typedef uint32_t tcp_seq;

struct tcphdr {
	uint16_t th_sport;
	uint16_t th_dport;
	tcp_seq th_seq;
	tcp_seq th_ack;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint8_t th_x2:4, th_off:4;
#else
	uint8_t th_off:4, th_x2:4;
#endif
	uint8_t th_flags;
	uint16_t th_win;
	uint16_t th_sum;
	uint16_t th_urp;
} __attribute__((__packed__, __aligned__(2)));  /* after a 14-byte Ethernet header */

#define TH_FIN  0x01
#define TH_SYN  0x02
#define TH_RST  0x04
#define TH_PUSH 0x08
#define TH_ACK  0x10
#define TH_URG  0x20
#define TH_ECE  0x40
#define TH_CWR  0x80

/* Options (RFC 9293 3.2, RFC 7323, RFC 2018): kind, then length. */
#define TCPOPT_EOL            0
#define TCPOPT_NOP            1
#define TCPOPT_MAXSEG         2
#define TCPOLEN_MAXSEG        4
#define TCPOPT_WINDOW         3
#define TCPOLEN_WINDOW        3
#define TCPOPT_SACK_PERMITTED 4
#define TCPOLEN_SACK_PERMITTED 2
#define TCPOPT_SACK           5
#define TCPOLEN_SACK          8         /* per block */
#define TCPOPT_TIMESTAMP      8
#define TCPOLEN_TIMESTAMP     10
#define TCPOLEN_TSTAMP_APPA   (TCPOLEN_TIMESTAMP + 2) /* with two NOPs */

#define TCP_MAXWINSHIFT 14              /* RFC 7323 2.3 */
#define TCP_MAXWIN      65535
#define TCP_MSS         536             /* default MSS, RFC 9293 3.7.1 */
#define TCP_MAXOLEN     40              /* option bytes at most */
#define TCP_MSS_DEFAULT 536U

/* Options of level IPPROTO_TCP, Linux's numbers. */
#define TCP_NODELAY      1      /* int: no Nagle */
#define TCP_MAXSEG       2      /* int: bound the segment size */
#define TCP_CORK         3      /* int: send only full segments */
#define TCP_KEEPIDLE     4      /* int: seconds idle before keepalives */
#define TCP_KEEPINTVL    5      /* int: seconds between keepalives */
#define TCP_KEEPCNT      6      /* int: unanswered probes before failing */
#define TCP_SYNCNT       7      /* int: SYN retransmissions before ETIMEDOUT */
#define TCP_LINGER2      8
#define TCP_DEFER_ACCEPT 9
#define TCP_WINDOW_CLAMP 10
#define TCP_INFO         11     /* struct tcp_info, read only */
#define TCP_QUICKACK     12
#define TCP_CONGESTION   13     /* string: "newreno", "cubic" (reno: newreno) */
#define TCP_MD5SIG       14
#define TCP_USER_TIMEOUT 18     /* int: ms sent data may stay unacknowledged */
#define TCP_NOTSENT_LOWAT 25

#define TCP_CA_NAME_MAX  16     /* TCP_CONGESTION's longest name */

/* Connection states as Linux numbers them (tcpi_state). */
#define TCP_ESTABLISHED  1
#define TCP_SYN_SENT     2
#define TCP_SYN_RECV     3
#define TCP_FIN_WAIT1    4
#define TCP_FIN_WAIT2    5
#define TCP_TIME_WAIT    6
#define TCP_CLOSE        7
#define TCP_CLOSE_WAIT   8
#define TCP_LAST_ACK     9
#define TCP_LISTEN       10
#define TCP_CLOSING      11

/* tcpi_ca_state */
#define TCP_CA_Open      0
#define TCP_CA_Disorder  1
#define TCP_CA_CWR       2
#define TCP_CA_Recovery  3
#define TCP_CA_Loss      4

/* tcpi_options */
#define TCPI_OPT_TIMESTAMPS 1
#define TCPI_OPT_SACK       2
#define TCPI_OPT_WSCALE     4
#define TCPI_OPT_ECN        8
#define TCPI_OPT_ECN_SEEN   16
#define TCPI_OPT_SYN_DATA   32

/*
 * TCP_INFO, Linux's layout (linux/tcp.h).  Times are microseconds
 * (tcpi_rto, tcpi_ato, tcpi_rtt, tcpi_rttvar) or milliseconds ago
 * (tcpi_last_*); sizes are bytes, tcpi_snd_cwnd and tcpi_snd_ssthresh
 * are in segments of tcpi_snd_mss.  Fields this stack does not keep
 * (pacing, delivery rate, ECN) read as zero.
 */
struct tcp_info {
	uint8_t tcpi_state;
	uint8_t tcpi_ca_state;
	uint8_t tcpi_retransmits;
	uint8_t tcpi_probes;
	uint8_t tcpi_backoff;
	uint8_t tcpi_options;
	uint8_t tcpi_snd_wscale:4, tcpi_rcv_wscale:4;
	uint8_t tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2;

	uint32_t tcpi_rto;
	uint32_t tcpi_ato;
	uint32_t tcpi_snd_mss;
	uint32_t tcpi_rcv_mss;

	uint32_t tcpi_unacked;
	uint32_t tcpi_sacked;
	uint32_t tcpi_lost;
	uint32_t tcpi_retrans;
	uint32_t tcpi_fackets;

	uint32_t tcpi_last_data_sent;
	uint32_t tcpi_last_ack_sent;
	uint32_t tcpi_last_data_recv;
	uint32_t tcpi_last_ack_recv;

	uint32_t tcpi_pmtu;
	uint32_t tcpi_rcv_ssthresh;
	uint32_t tcpi_rtt;
	uint32_t tcpi_rttvar;
	uint32_t tcpi_snd_ssthresh;
	uint32_t tcpi_snd_cwnd;
	uint32_t tcpi_advmss;
	uint32_t tcpi_reordering;

	uint32_t tcpi_rcv_rtt;
	uint32_t tcpi_rcv_space;

	uint32_t tcpi_total_retrans;

	uint64_t tcpi_pacing_rate;
	uint64_t tcpi_max_pacing_rate;
	uint64_t tcpi_bytes_acked;
	uint64_t tcpi_bytes_received;
	uint32_t tcpi_segs_out;
	uint32_t tcpi_segs_in;

	uint32_t tcpi_notsent_bytes;
	uint32_t tcpi_min_rtt;
	uint32_t tcpi_data_segs_in;
	uint32_t tcpi_data_segs_out;

	uint64_t tcpi_delivery_rate;

	uint64_t tcpi_busy_time;
	uint64_t tcpi_rwnd_limited;
	uint64_t tcpi_sndbuf_limited;

	uint32_t tcpi_delivered;
	uint32_t tcpi_delivered_ce;

	uint64_t tcpi_bytes_sent;
	uint64_t tcpi_bytes_retrans;
	uint32_t tcpi_dsack_dups;
	uint32_t tcpi_reord_seen;

	uint32_t tcpi_rcv_ooopack;

	uint32_t tcpi_snd_wnd;
};

#endif /* _NETINET_TCP_H_ */
