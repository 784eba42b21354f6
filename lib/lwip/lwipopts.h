/*
 * lwIP's configuration for Skiff (every option not set here keeps its
 * default from lwIP 2.1's src/include/lwip/opt.h).
 *
 * The target is a guest of 32-64 MiB with one netfront interface: TCP
 * throughput matters (window scaling, room for a few full windows), the
 * fixed memory lwIP reserves stays near 2.5 MiB (MEM_SIZE plus the pools),
 * and applications use BSD sockets through our file descriptors
 * (lib/socket.c), never lwIP's own names. Applications see this file
 * through include/sys/socket.h, so it only defines lwIP options.
 */
#ifndef SKIFF_LWIPOPTS_H
#define SKIFF_LWIPOPTS_H

/* ---- operating system --------------------------------------------------
 * A tcpip thread on our scheduler; sockets and netconns in the callers'
 * threads. Core locking lets socket calls run the stack directly under one
 * mutex instead of a message round trip to the tcpip thread per call.
 * Received frames go into the stack directly too (CORE_LOCKING_INPUT 1):
 * netfront's service thread runs ethernet_input() under the core lock
 * instead of posting each frame to the tcpip thread's mailbox. With that
 * hop (a message, a wake-up and thread switches per frame) a TCP stream
 * from dom0 ran at half the speed (tests/bench-net tcp_stream_tx). It
 * cannot deadlock: a thread that holds the core lock while netfront_send()
 * waits for tx room reaps tx completions itself and never takes netfront's
 * rx_lock, which the service thread holds while it waits for the core
 * lock (lib/lwip/netif_xen.c). */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define TCPIP_THREAD_NAME "tcpip"
#define TCPIP_THREAD_STACKSIZE (64 * 1024)
#define TCPIP_THREAD_PRIO 1
#define DEFAULT_THREAD_STACKSIZE (64 * 1024)
/* Frames waiting for the tcpip thread: a full netfront RX ring (256). */
#define TCPIP_MBOX_SIZE 512
/* Per-socket queues: a full receive window of segments for TCP. */
#define DEFAULT_TCP_RECVMBOX_SIZE 128
#define DEFAULT_UDP_RECVMBOX_SIZE 64
#define DEFAULT_RAW_RECVMBOX_SIZE 32
#define DEFAULT_ACCEPTMBOX_SIZE 32

/* ---- memory ------------------------------------------------------------
 * lwIP's own heap (PBUF_RAM: data being sent, headers) and fixed pools,
 * all in .bss and only linked in with the network. Fixed sizes make
 * exhaustion a local, recoverable event (a send waits, a frame is dropped)
 * instead of a guest-wide out-of-memory. */
#define MEM_ALIGNMENT 8
#define MEM_SIZE (1024 * 1024)
/* Received frames are copied into pool buffers (lib/lwip/netif_xen.c):
 * 512 x ~1.5 KiB = ~0.8 MiB, enough for several full receive windows. */
#define PBUF_POOL_SIZE 512
#define MEMP_NUM_PBUF 128
#define MEMP_NUM_RAW_PCB 4
#define MEMP_NUM_UDP_PCB 16
#define MEMP_NUM_TCP_PCB 512
#define MEMP_NUM_TCP_PCB_LISTEN 16
/* Must be >= TCP_SND_QUEUELEN (checked at compile time); several
 * connections share them. */
#define MEMP_NUM_TCP_SEG 1024
#define MEMP_NUM_REASSDATA 16
#define MEMP_NUM_FRAG_PBUF 32
#define MEMP_NUM_ARP_QUEUE 64
/* Sockets. lwIP's sockets.h requires LWIP_SOCKET_OFFSET +
 * MEMP_NUM_NETCONN <= FD_SETSIZE as soon as newlib's fd_set is in scope,
 * which it always is (arch/cc.h). newlib's default FD_SETSIZE is 64, too
 * few for a server; the Makefile sets it to FD_TABLE_SIZE (lib/fd.h) for
 * everything that sees fd_set, so the limit is our fd table. */
#define MEMP_NUM_NETCONN 1024
#define MEMP_NUM_NETBUF 64
#define MEMP_NUM_SELECT_CB 16
#define MEMP_NUM_TCPIP_MSG_API 64
#define MEMP_NUM_TCPIP_MSG_INPKT TCPIP_MBOX_SIZE
#define MEMP_NUM_NETDB 4
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)

/* ---- link and IP -------------------------------------------------------
 */
#define LWIP_ARP 1
#define ARP_TABLE_SIZE 32
/* Keep the first packets to a host while its ARP reply is on the way. */
#define ARP_QUEUEING 1
#define ARP_QUEUE_LEN 8
#define LWIP_ETHERNET 1
#define ETH_PAD_SIZE 0
#define LWIP_IPV4 1
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define IP_REASS_MAX_PBUFS 64
/* IPv6 is compiled out for now; the Makefile lists the IPv6 sources so
 * turning it on needs no other change. */
#define LWIP_IPV6 0
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_IGMP 0
/* Loopback: 127.0.0.1 and our own address reach our own sockets. */
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 64

/* ---- DHCP and DNS ------------------------------------------------------
 * No ARP probe of the offered address: it would add half a second or more
 * to every boot, and the lab's dnsmasq does not hand out duplicates. */
#define LWIP_DHCP 1
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DNS 1
#define DNS_TABLE_SIZE 8
#define DNS_MAX_SERVERS 2

/* ---- TCP ---------------------------------------------------------------
 * Full-size segments and a ~91 KiB window, announced with window scaling
 * (RFC 7323, shift 2, so up to 256 KiB): a 64 KiB window caps a single
 * connection at 64 KiB per round trip. The send buffer matches, so a
 * sender keeps a window in flight. */
#define LWIP_TCP 1
#define TCP_MSS 1460
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 2
#define TCP_WND (64 * TCP_MSS)
#define TCP_SND_BUF (64 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
/* One connection's out-of-order data cannot take the whole pbuf pool. */
#define TCP_OOSEQ_MAX_PBUFS 64
#define LWIP_TCP_SACK_OUT 1
/* listen()'s backlog argument is honoured. */
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 1
/* Compute the checksum of data while copying it from the application. */
#define LWIP_CHECKSUM_ON_COPY 1

/* ---- checksums ---------------------------------------------------------
 * Generated and checked in software by default; per-netif control lets
 * netif_xen skip the check of frames the backend reports as validated
 * (NETRXF_data_validated), frame by frame (see netif_xen.c). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1

/* ---- network interfaces ------------------------------------------------
 */
#define LWIP_NETIF_API 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_SINGLE_NETIF 0

/* ---- sequential API and sockets ----------------------------------------
 * lwIP's socket numbers are private handles: lib/fd.c maps our file
 * descriptors to them, so they start at 0 and applications never see
 * them. lwIP provides no POSIX names (socket, read, close, ...): those are
 * ours (lib/socket.c, lib/syscalls.c), declared in include/. */
#define LWIP_NETCONN 1
#define LWIP_SOCKET 1
#define LWIP_COMPAT_SOCKETS 0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET 0
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDRCVTIMEO_NONSTANDARD 0
#define LWIP_SO_RCVBUF 1
#define LWIP_SO_LINGER 1
#define SO_REUSE 1
#define SO_REUSE_RXTOALL 1
/* FIONREAD: all pending bytes for TCP, the next datagram for UDP (as
 * Linux does). */
#define LWIP_FIONREAD_LINUXMODE 1
#define LWIP_DNS_API_DECLARE_H_ERRNO 1

/* errno values are newlib's: lwIP includes <errno.h> and sets errno, which
 * is per thread (newlib's reent, switched by the scheduler). */
#define LWIP_ERRNO_STDINCLUDE 1

/* ---- statistics and debugging ------------------------------------------
 * Counters stay on (drops and pool exhaustion are visible in lwip_stats
 * from GDB); LWIP_DEBUG is off, asserts are on and panic. */
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0

#endif
