/* unix-sockets: AF_UNIX socket pairs as Linux has them. socketpair with SOCK_STREAM, SOCK_DGRAM and
 * SOCK_SEQPACKET (and SOCK_NONBLOCK/SOCK_CLOEXEC); read/write/readv/writev and sendmsg/recvmsg with
 * iovecs, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_NOSIGNAL; message boundaries; shutdown
 * (EOF, EPIPE, SIGPIPE); ECONNRESET when the peer closes with unread data; SCM_RIGHTS between a
 * parent and a forked child both ways, MSG_CTRUNC with a short control buffer, MSG_CMSG_CLOEXEC,
 * SCM_CREDENTIALS with SO_PASSCRED; getsockopt/setsockopt; getsockname/getpeername; poll readiness;
 * fstat (S_IFSOCK) and fstatfs (sockfs); socket() of AF_UNIX and the errors of bind, listen,
 * accept and connect on it (glibc's nscd probe: ENOENT). Prints no pids, fds only as relations. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fork-or-die.h"

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else printf("%s: %ld\n", what, r);
}

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

/* Sends `len` bytes of `data` with `nfds` descriptors attached (SCM_RIGHTS). */
static long send_fds(int s, const char *data, size_t len, const int *fds, int nfds)
{
    char ctl[CMSG_SPACE(sizeof(int) * 4)];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = { (void *)data, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (nfds > 0) {
        m.msg_control = ctl;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    return sendmsg(s, &m, 0);
}

/* Receives into buf with a control buffer of `ctl_len` bytes; returns the descriptors it got. */
static long recv_fds(int s, char *buf, size_t len, size_t ctl_len, int flags, int *fds, int *nfds, int *msg_flags)
{
    union { char b[256]; struct cmsghdr align; } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iov = { buf, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl_len ? ctl.b : NULL, .msg_controllen = ctl_len };
    long r = recvmsg(s, &m, flags);
    *nfds = 0;
    *msg_flags = m.msg_flags;
    if (r < 0) return r;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds + *nfds, CMSG_DATA(c), sizeof(int) * n);
            *nfds += n;
        }
    }
    printf("  controllen out %zu\n", (size_t)m.msg_controllen);
    return r;
}

/* fstatfs and statfs agree with the kind of file on each kind: pipes, stdout (whatever the host
 * made it), devices, /proc. */
static void statfs_kinds(void)
{
    struct statfs fs;
    struct stat st;
    int p[2];
    pipe(p);
    fstatfs(p[0], &fs);
    printf("  pipe fstatfs pipefs %d\n", fs.f_type == 0x50495045);
    close(p[0]);
    close(p[1]);
    fstat(1, &st);
    fstatfs(1, &fs);
    long t = (long)fs.f_type;
    int agrees = S_ISSOCK(st.st_mode) ? t == 0x534f434b : S_ISFIFO(st.st_mode) ? t == 0x50495045
        : S_ISCHR(st.st_mode) ? (t == 0x1cd1 || t == 0x01021994) : t != 0x50495045 && t != 0x534f434b;
    printf("  stdout fstatfs agrees with its fstat %d\n", agrees);
    result("statfs /dev/null", statfs("/dev/null", &fs));
    printf("  tmpfs %d\n", fs.f_type == 0x01021994);
    result("statfs /proc/self/fd", statfs("/proc/self/fd", &fs));
    printf("  proc %d\n", fs.f_type == 0x9fa0);
}

static void stream_basics(void)
{
    int sv[2];
    result("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("  fds distinct %d\n", sv[0] != sv[1]);
    result("write", write(sv[0], "hello", 5));
    result("write", write(sv[0], " world", 6));
    char buf[64] = {0};
    result("recv peek", recv(sv[1], buf, 3, MSG_PEEK));
    printf("  data %.3s\n", buf);
    result("read (writes glued)", read(sv[1], buf, sizeof buf));
    printf("  data %.11s\n", buf);
    result("read empty nonblocking", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    result("recv of 0 bytes, nothing queued", recv(sv[1], buf, 0, MSG_DONTWAIT));
    result("read of 0 bytes", read(sv[1], buf, 0));

    struct iovec out[2] = { { "ab", 2 }, { "cdef", 4 } };
    result("writev", writev(sv[1], out, 2));
    char a[3] = {0}, b[8] = {0};
    struct iovec in[2] = { { a, 3 }, { b, 8 } };
    result("readv", readv(sv[0], in, 2));
    printf("  parts %.3s %.3s\n", a, b);

    result("send waitall part", send(sv[0], "xy", 2, 0));
    result("recv waitall nonblocking", recv(sv[1], buf, 4, MSG_WAITALL | MSG_DONTWAIT));
    result("send more", send(sv[0], "zw12", 4, 0));
    result("recv waitall", recv(sv[1], buf, 4, MSG_WAITALL));
    printf("  data %.4s\n", buf);

    /* Sizes and readiness. */
    int v = 0;
    socklen_t l = sizeof v;
    result("SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
    printf("  type %d (stream %d) len %u\n", v, v == SOCK_STREAM, l);
    result("SO_DOMAIN", getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &l));
    printf("  domain %d\n", v);
    result("SO_ERROR", getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &l));
    printf("  error %d\n", v);
    v = 65536;
    result("set SO_SNDBUF", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    l = sizeof v;
    result("SO_SNDBUF", getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &l));
    printf("  sndbuf %d (doubled)\n", v);
    v = 32768;
    result("set SO_RCVBUF", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
    result("SO_RCVBUF", getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &l));
    printf("  rcvbuf %d\n", v);
    result("set short optlen", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, 2));
    result("SO_KEEPALIVE get", getsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, &l));
    result("unknown level", getsockopt(sv[0], 6 /* IPPROTO_TCP */, 1, &v, &l));
    result("unknown option", getsockopt(sv[0], SOL_SOCKET, 9999, &v, &l));
    struct ucred cr;
    l = sizeof cr;
    result("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &l));
    printf("  pid is mine %d uid %d gid %d len %u\n", cr.pid == getpid(), cr.uid == getuid(), cr.gid == getgid(), l);
    l = 4;
    result("SO_PEERCRED short", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &l));
    printf("  len %u\n", l);
    int pp[2];
    pipe(pp);
    result("getsockopt on a pipe", getsockopt(pp[0], SOL_SOCKET, SO_TYPE, &v, &l));
    close(pp[0]);
    close(pp[1]);

    struct sockaddr_un sa;
    l = sizeof sa;
    memset(&sa, 0x55, sizeof sa);
    result("getsockname", getsockname(sv[0], (struct sockaddr *)&sa, &l));
    printf("  family %d len %u\n", sa.sun_family, l);
    l = sizeof sa;
    result("getpeername", getpeername(sv[1], (struct sockaddr *)&sa, &l));
    printf("  family %d len %u\n", sa.sun_family, l);
    l = 1;
    result("getsockname len 1", getsockname(sv[0], (struct sockaddr *)&sa, &l));
    printf("  len %u\n", l);

    struct pollfd pf[2] = { { sv[0], POLLIN | POLLOUT, 0 }, { sv[1], POLLIN | POLLOUT, 0 } };
    result("poll idle", poll(pf, 2, 0));
    printf("  revents %#x %#x\n", pf[0].revents, pf[1].revents);
    write(sv[0], "q", 1);
    result("poll data", poll(pf, 2, 0));
    printf("  revents %#x %#x\n", pf[0].revents, pf[1].revents);
    int n = 0;
    result("FIONREAD", ioctl(sv[1], FIONREAD, &n));
    printf("  bytes %d\n", n);

    struct stat st;
    result("fstat", fstat(sv[0], &st));
    printf("  socket %d mode %o size %lld\n", S_ISSOCK(st.st_mode), st.st_mode & 07777, (long long)st.st_size);
    result("fchmod", fchmod(sv[0], 0600));
    fstat(sv[0], &st);
    printf("  mode %o\n", st.st_mode & 07777);
    struct statfs fs;
    result("fstatfs", fstatfs(sv[0], &fs));
    printf("  type %#lx bsize %ld\n", (long)fs.f_type, (long)fs.f_bsize);
    char link[64] = {0}, path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
    printf("readlink fd ok %d\n", readlink(path, link, sizeof link - 1) > 0);
    printf("  socket:[ %d\n", strncmp(link, "socket:[", 8) == 0);
    statfs_kinds();
    result("lseek", lseek(sv[0], 0, SEEK_SET));
    result("pread", pread(sv[1], buf, 1, 0));

    /* shutdown */
    result("shutdown bad how", shutdown(sv[0], 7));
    result("shutdown WR", shutdown(sv[0], SHUT_WR));
    result("write after SHUT_WR (NOSIGNAL)", send(sv[0], "z", 1, MSG_NOSIGNAL));
    result("read queued", read(sv[1], buf, sizeof buf));
    result("read EOF", read(sv[1], buf, sizeof buf));
    pf[1].events = POLLIN | POLLOUT | POLLRDHUP;
    result("poll after peer SHUT_WR", poll(&pf[1], 1, 0));
    printf("  revents %#x\n", pf[1].revents);
    result("peer still writes", write(sv[1], "back", 4));
    result("and it arrives", read(sv[0], buf, sizeof buf));
    result("shutdown RD", shutdown(sv[0], SHUT_RD));
    result("peer write after SHUT_RD", send(sv[1], "z", 1, MSG_NOSIGNAL));
    result("read after SHUT_RD", read(sv[0], buf, sizeof buf));
    pf[0].events = POLLIN | POLLOUT | POLLRDHUP;
    result("poll both shut", poll(pf, 2, 0));
    printf("  revents %#x %#x\n", pf[0].revents, pf[1].revents);
    result("write with SIGPIPE", write(sv[0], "z", 1));
    printf("  sigpipes %d\n", (int)sigpipes);
    close(sv[0]);
    close(sv[1]);

    /* The peer closes: EOF; with unread data left behind: ECONNRESET first. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "lost", 4);
    close(sv[1]);
    result("write to closed peer", write(sv[0], "x", 1));
    printf("  sigpipes %d\n", (int)sigpipes);
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    write(sv[0], "ok", 2);
    close(sv[0]);
    pf[0].fd = sv[1];
    pf[0].events = POLLIN | POLLOUT | POLLRDHUP;
    result("poll after peer closed unread", poll(pf, 1, 0));
    printf("  revents %#x\n", pf[0].revents);
    l = sizeof v;
    result("read before the reset", read(sv[1], buf, sizeof buf));
    result("read reset", read(sv[1], buf, sizeof buf));
    result("read then EOF", read(sv[1], buf, sizeof buf));
    close(sv[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[1], "unread", 6);
    close(sv[0]);
    result("SO_ERROR after reset", getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &v, &l));
    printf("  error %s\n", v ? strerrorname_np(v) : "0");
    result("read after SO_ERROR took it", read(sv[1], buf, sizeof buf));
    close(sv[1]);
}

static void flags_and_types(void)
{
    int sv[2];
    result("socketpair nonblock|cloexec", socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
    printf("  fl nonblock %d fd cloexec %d\n", (fcntl(sv[0], F_GETFL) & O_NONBLOCK) != 0, fcntl(sv[1], F_GETFD));
    char buf[8];
    result("read nonblocking", read(sv[0], buf, sizeof buf));
    close(sv[0]);
    close(sv[1]);
    result("socketpair bad type", socketpair(AF_UNIX, 99, 0, sv));
    result("socketpair bad flag", socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, sv));
    result("socketpair protocol 1", socketpair(AF_UNIX, SOCK_STREAM, 1, sv));
    result("socketpair protocol 2", socketpair(AF_UNIX, SOCK_STREAM, 2, sv));
    result("socketpair bad family", socketpair(4242, SOCK_STREAM, 0, sv));
    result("socketpair raw", socketpair(AF_UNIX, SOCK_RAW, 0, sv));
}

static void datagrams(void)
{
    int sv[2];
    result("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    send(sv[0], "first", 5, 0);
    send(sv[0], "second!", 7, 0);
    send(sv[0], "", 0, 0);
    char buf[16] = {0};
    result("recv short (truncated)", recv(sv[1], buf, 3, 0));
    result("recv MSG_TRUNC real length", recv(sv[1], buf, 3, MSG_TRUNC | MSG_PEEK));
    struct iovec iov = { buf, 4 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    result("recvmsg truncated", recvmsg(sv[1], &m, 0));
    printf("  msg_flags MSG_TRUNC %d data %.4s\n", (m.msg_flags & MSG_TRUNC) != 0, buf);
    result("recv empty datagram", recv(sv[1], buf, sizeof buf, 0));
    result("recv none", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    int v;
    socklen_t l = sizeof v;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l);
    printf("  type dgram %d\n", v == SOCK_DGRAM);
    struct pollfd pf = { sv[1], POLLIN | POLLOUT, 0 };
    result("poll dgram", poll(&pf, 1, 0));
    printf("  revents %#x\n", pf.revents);
    result("shutdown dgram WR", shutdown(sv[0], SHUT_WR));
    result("send after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
    result("send after SHUT_WR, no MSG_NOSIGNAL", send(sv[0], "x", 1, 0));
    printf("  sigpipes %d\n", (int)sigpipes);
    result("peer sends", send(sv[1], "y", 1, 0));
    result("peer recv none", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    result("sendto with address", sendto(sv[1], "x", 1, 0, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "nowhere" }, sizeof(struct sockaddr_un)));
    close(sv[0]);
    result("send to closed peer", send(sv[1], "x", 1, MSG_DONTWAIT));
    result("send again", send(sv[1], "x", 1, MSG_DONTWAIT));
    result("recv, peer gone", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    close(sv[1]);

    result("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    send(sv[0], "one", 3, 0);
    send(sv[0], "two", 3, 0);
    result("recv seqpacket (boundaries)", recv(sv[1], buf, sizeof buf, 0));
    result("recv seqpacket truncated", recv(sv[1], buf, 2, 0));
    close(sv[0]);
    result("recv seqpacket EOF", recv(sv[1], buf, sizeof buf, 0));
    result("send seqpacket closed", send(sv[1], "x", 1, MSG_NOSIGNAL));
    close(sv[1]);
}

static void rights(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int p[2];
    pipe(p);
    write(p[1], "through a passed pipe", 21);
    close(p[1]);
    char buf[64] = {0};
    int fds[8], n, mf;

    /* A short control buffer: the descriptor is dropped, MSG_CTRUNC. */
    result("send fd", send_fds(sv[0], "A", 1, &p[0], 1));
    result("recv with no room", recv_fds(sv[1], buf, 1, CMSG_LEN(0), 0, fds, &n, &mf));
    printf("  got %d fds, MSG_CTRUNC %d\n", n, (mf & MSG_CTRUNC) != 0);
    result("send two fds", send_fds(sv[0], "B", 1, (int[]){ p[0], p[0] }, 2));
    result("recv room for one", recv_fds(sv[1], buf, 1, CMSG_LEN(sizeof(int)), MSG_CMSG_CLOEXEC, fds, &n, &mf));
    printf("  got %d fds, MSG_CTRUNC %d, cloexec %d\n", n, (mf & MSG_CTRUNC) != 0, n ? fcntl(fds[0], F_GETFD) : -1);
    if (n) close(fds[0]);
    result("send two fds", send_fds(sv[0], "b", 1, (int[]){ p[0], p[0] }, 2));
    result("recv room for two (CMSG_SPACE of one)", recv_fds(sv[1], buf, 1, CMSG_SPACE(sizeof(int)), 0, fds, &n, &mf));
    printf("  got %d fds, MSG_CTRUNC %d\n", n, (mf & MSG_CTRUNC) != 0);
    for (int i = 0; i < n; i++) close(fds[i]);

    /* Data sent after a message with descriptors is not glued to it. */
    result("send fd", send_fds(sv[0], "CD", 2, &p[0], 1));
    result("send plain", send(sv[0], "EF", 2, 0));
    result("recv stops after the fds", recv_fds(sv[1], buf, sizeof buf, 64, 0, fds, &n, &mf));
    printf("  got %d fds, cloexec %d, data %.2s\n", n, n ? fcntl(fds[0], F_GETFD) : -1, buf);
    int got = n ? fds[0] : -1;
    result("recv plain", recv(sv[1], buf, sizeof buf, 0));

    /* The received descriptor is the same open pipe. */
    result("read passed pipe", read(got, buf, sizeof buf));
    printf("  data %.21s\n", buf);
    close(got);

    /* Errors of sendmsg's control part. */
    result("send bad fd", send_fds(sv[0], "x", 1, (int[]){ 999 }, 1));
    char ctl[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = { "x", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = 77;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    result("send unknown cmsg type", sendmsg(sv[0], &m, 0));
    c->cmsg_len = sizeof ctl + 8;
    result("send cmsg_len too long", sendmsg(sv[0], &m, 0));
    c->cmsg_len = CMSG_LEN(sizeof(int));
    c->cmsg_level = 6;
    result("send other level (ignored)", sendmsg(sv[0], &m, 0));
    recv(sv[1], buf, sizeof buf, 0);
    result("sendmsg NULL iov", sendmsg(sv[0], &(struct msghdr){ 0 }, 0));
    result("recv the empty send", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    result("sendto with an address on a stream", sendto(sv[0], "x", 1, 0, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "x" }, sizeof(struct sockaddr_un)));
    close(p[0]);

    /* Credentials: SO_PASSCRED on the receiver. */
    int on = 1;
    result("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    on = 0;
    socklen_t l = sizeof on;
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, &l);
    printf("  passcred %d\n", on);
    send(sv[0], "c", 1, 0);
    union { char b[128]; struct cmsghdr align; } cb;
    struct iovec riov = { buf, sizeof buf };
    struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof cb.b };
    result("recvmsg with credentials", recvmsg(sv[1], &rm, 0));
    c = CMSG_FIRSTHDR(&rm);
    if (c && c->cmsg_type == SCM_CREDENTIALS) {
        struct ucred u;
        memcpy(&u, CMSG_DATA(c), sizeof u);
        printf("  SCM_CREDENTIALS len %zu pid is mine %d uid %d\n", (size_t)c->cmsg_len, u.pid == getpid(), u.uid == getuid());
    } else printf("  no credentials\n");
    close(sv[0]);
    close(sv[1]);
}

/* A child passes a pipe it made to its parent; the parent passes a file to the child, which
 * reads it and answers over the socket. */
static void across_fork(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int in = open("data/poem.txt", O_RDONLY);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(sv[0]);
        close(in);
        int p[2];
        pipe(p);
        write(p[1], "from the child's pipe", 21);
        close(p[1]);
        send_fds(sv[1], "P", 1, &p[0], 1);
        close(p[0]);
        char c;
        int fds[4], n, mf;
        union { char b[64]; struct cmsghdr align; } ctl;
        struct iovec iov = { &c, 1 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b };
        (void)fds; (void)n; (void)mf;
        if (recvmsg(sv[1], &m, 0) != 1) _exit(2);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        if (!cm || cm->cmsg_type != SCM_RIGHTS) _exit(3);
        int f;
        memcpy(&f, CMSG_DATA(cm), sizeof f);
        char buf[64];
        long r = read(f, buf, sizeof buf);
        if (r > 0) send(sv[1], buf, (size_t)r, 0);
        _exit(0);
    }
    close(sv[1]);
    char buf[64] = {0};
    int fds[4], n, mf;
    result("parent receives the child's pipe", recv_fds(sv[0], buf, 1, 64, 0, fds, &n, &mf));
    printf("  got %d fds\n", n);
    if (n) {
        long r = read(fds[0], buf, sizeof buf);
        printf("  read %ld: %.*s\n", r, (int)(r > 0 ? r : 0), buf);
    }
    result("parent sends a file", send_fds(sv[0], "F", 1, &in, 1));
    close(in);
    memset(buf, 0, sizeof buf);
    long r = recv(sv[0], buf, sizeof buf, MSG_WAITALL);
    int status;
    waitpid(pid, &status, 0);
    printf("child read the passed file: %ld %.*s", r, (int)(r > 0 ? r : 0), buf);
    printf("child status %d\n", WEXITSTATUS(status));
    result("recv after the child exited", recv(sv[0], buf, sizeof buf, 0));
    close(sv[0]);
}

static void unconnected(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    result("socket AF_UNIX", s >= 0 ? 0 : -1);
    struct sockaddr_un a = { AF_UNIX, "/var/run/nscd/socket" };
    result("connect nscd", connect(s, (struct sockaddr *)&a, sizeof a));
    result("connect bad family", connect(s, (struct sockaddr *)&(struct sockaddr){ AF_INET }, sizeof(struct sockaddr)));
    result("connect short", connect(s, (struct sockaddr *)&a, 1));
    struct sockaddr_un d = { AF_UNIX, "data" };
    result("connect to a directory", connect(s, (struct sockaddr *)&d, sizeof d));
    struct sockaddr_un abs = { AF_UNIX, "\0rvtrace-test-nobody" };
    result("connect abstract", connect(s, (struct sockaddr *)&abs, offsetof(struct sockaddr_un, sun_path) + 20));
    char buf[4];
    result("read unconnected stream", read(s, buf, sizeof buf));
    result("write unconnected stream", send(s, "x", 1, MSG_NOSIGNAL));
    socklen_t l = sizeof a;
    result("getpeername unconnected", getpeername(s, (struct sockaddr *)&a, &l));
    result("accept not listening", accept(s, NULL, NULL));
    result("accept4 bad flags", accept4(s, NULL, NULL, 0x1));
    result("listen unbound", listen(s, 1));
    result("shutdown unconnected", shutdown(s, SHUT_RDWR));
    close(s);
    s = socket(AF_UNIX, SOCK_DGRAM, 0);
    result("listen dgram", listen(s, 1));
    result("accept dgram", accept(s, NULL, NULL));
    result("send dgram unconnected", send(s, "x", 1, 0));
    result("recv dgram unconnected", recv(s, buf, sizeof buf, MSG_DONTWAIT));
    close(s);
    result("socket bad type", socket(AF_UNIX, 77, 0));
    int p[2];
    pipe(p);
    result("accept on a pipe", accept(p[0], NULL, NULL));
    result("connect bad fd", connect(99, (struct sockaddr *)&a, sizeof a));
    int f = open("data/poem.txt", O_RDONLY);
    result("send on a file", send(f, "x", 1, 0));
    close(f);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    stream_basics();
    flags_and_types();
    datagrams();
    rights();
    across_fork();
    unconnected();
    return 0;
}
