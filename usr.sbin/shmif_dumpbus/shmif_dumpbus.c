/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif_dumpbus: print the state of a shmif bus file (its header) and
 * write the frames still in its ring as a pcap file, for tshark and
 * tcpdump.  Reads a snapshot of the file; never writes to it, so it is
 * safe on a bus in use.  The format: sys/rump/net/lib/libshmif/shmif_bus.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shmif_bus.h"

/* pcap file header, nanosecond timestamps; link type 1 is Ethernet. */
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1

struct pcap_hdr {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, network;
};

struct pcap_rec {
	uint32_t ts_sec, ts_nsec, incl_len, orig_len;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: shmif_dumpbus [-p] [-w file.pcap] busfile\n"
	    "  -p, --print        one line per frame in the ring\n"
	    "  -w, --write FILE   write the frames in the ring as pcap to FILE\n"
	    "  -h, --help         this text\n");
}

static const struct shmif_frame *
slot(const uint8_t *ring, uint64_t ringsize, uint64_t pos)
{
	return (const struct shmif_frame *)(const void *)(ring +
	    (pos & (ringsize - 1)));
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "print", no_argument, NULL, 'p' },
		{ "write", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *path;
	const struct shmif_frame *fr;
	struct shmif_bus hdr;
	struct pcap_hdr ph;
	struct pcap_rec pr;
	uint64_t ringsize, r, p, end, frames = 0, lost = 0;
	uint8_t *ring;
	FILE *pf = NULL;
	bool print = false;
	struct stat st;
	int c, fd;

	while ((c = getopt_long(argc, argv, "hpw:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'p':
			print = true;
			break;
		case 'w':
			out = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	path = argv[optind];
	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		fprintf(stderr, "shmif_dumpbus: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (st.st_size < (off_t)sizeof(hdr) ||
	    pread(fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
		fprintf(stderr, "shmif_dumpbus: %s: too short for a bus\n", path);
		return 1;
	}
	printf("bus: %s\n", path);
	printf("magic: 0x%08x (%s)\n", hdr.shb_magic,
	    hdr.shb_magic == SHMIF_MAGIC ? "shmif" : "not a bus");
	if (hdr.shb_magic != SHMIF_MAGIC)
		return 1;
	printf("version: %u%s\n", hdr.shb_version,
	    hdr.shb_version == SHMIF_VERSION ? "" : " (unknown)");
	if (hdr.shb_version != SHMIF_VERSION)
		return 1;
	ringsize = hdr.shb_ringsize;
	if (hdr.shb_hdrsize != SHMIF_BUS_HDRSIZE || ringsize < SHMIF_RINGSIZE_MIN ||
	    ringsize > SHMIF_RINGSIZE_MAX || (ringsize & (ringsize - 1)) != 0 ||
	    st.st_size < (off_t)(SHMIF_BUS_HDRSIZE + ringsize)) {
		fprintf(stderr, "shmif_dumpbus: %s: bad ring size %llu\n", path,
		    (unsigned long long)ringsize);
		return 1;
	}
	r = hdr.shb_reserve;
	printf("ring size: %llu\n", (unsigned long long)ringsize);
	printf("generation: 0x%016llx\n", (unsigned long long)hdr.shb_generation);
	printf("next position: %llu (%llu bytes written, the ring filled %llu "
	    "times)\n", (unsigned long long)r,
	    (unsigned long long)(r - ringsize),
	    (unsigned long long)((r - ringsize) / ringsize));
	printf("frames committed: %llu\n", (unsigned long long)hdr.shb_commits);
	printf("senders: %u\n", hdr.shb_nextid);
	printf("waiters: %u\n", hdr.shb_waiters);

	if ((ring = malloc(ringsize)) == NULL ||
	    pread(fd, ring, ringsize, SHMIF_BUS_HDRSIZE) != (ssize_t)ringsize) {
		fprintf(stderr, "shmif_dumpbus: %s: cannot read the ring\n", path);
		return 1;
	}
	close(fd);
	if (out != NULL) {
		if ((pf = fopen(out, "wb")) == NULL) {
			fprintf(stderr, "shmif_dumpbus: %s: %s\n", out,
			    strerror(errno));
			return 1;
		}
		memset(&ph, 0, sizeof(ph));
		ph.magic = PCAP_MAGIC_NS;
		ph.version_major = 2;
		ph.version_minor = 4;
		ph.snaplen = SHMIF_MAXFRAME;
		ph.network = PCAP_LINKTYPE_ETHERNET;
		fwrite(&ph, sizeof(ph), 1, pf);
	}
	/* The oldest byte still in the ring, then frame by frame. */
	p = r - ringsize > ringsize ? r - ringsize : ringsize;
	end = r;
	while (p < end) {
		fr = slot(ring, ringsize, p);
		if (fr->sf_pos != p) {
			/* Overwritten, uncommitted or mid-frame: find the next. */
			p += SHMIF_ALIGN;
			lost += SHMIF_ALIGN;
			continue;
		}
		if (fr->sf_flags & SHMIF_FRAME_PAD) {
			p += ringsize - (p & (ringsize - 1));
			continue;
		}
		if (fr->sf_len == 0 || fr->sf_len > SHMIF_MAXFRAME ||
		    (p & (ringsize - 1)) + SHMIF_FRAMESIZE(fr->sf_len) > ringsize) {
			p += SHMIF_ALIGN;
			lost += SHMIF_ALIGN;
			continue;
		}
		frames++;
		if (print)
			printf("frame at %llu: sender %u, %u bytes, time "
			    "%llu.%09u\n", (unsigned long long)p, fr->sf_sender,
			    fr->sf_len, (unsigned long long)fr->sf_sec,
			    fr->sf_nsec);
		if (pf != NULL) {
			pr.ts_sec = (uint32_t)fr->sf_sec;
			pr.ts_nsec = fr->sf_nsec;
			pr.incl_len = pr.orig_len = fr->sf_len;
			fwrite(&pr, sizeof(pr), 1, pf);
			fwrite(fr + 1, fr->sf_len, 1, pf);
		}
		p += SHMIF_FRAMESIZE(fr->sf_len);
	}
	printf("frames in the ring: %llu\n", (unsigned long long)frames);
	if (lost != 0)
		printf("bytes not in a whole frame: %llu\n",
		    (unsigned long long)lost);
	free(ring);
	if (pf != NULL && fclose(pf) != 0) {
		fprintf(stderr, "shmif_dumpbus: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}
