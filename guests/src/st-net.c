/* strace-style self-check of AF_UNIX socket calls and the xattr family: socketpair, sendmsg with
 * SCM_RIGHTS and SCM_CREDENTIALS, recvmsg with MSG_CMSG_CLOEXEC, failing, and with MSG_CTRUNC,
 * setsockopt (SO_PASSCRED), getsockopt (SO_TYPE, SO_PEERCRED), getsockname,
 * getpeername, shutdown, sendto, recvfrom, socket, connect (the nscd probe), getxattr, listxattr,
 * removexattr. Prints the trace lines it expects (see st-common.h); run it in a scratch directory.
 *   rvtrace trace -a0 -e trace=socketpair,sendmsg,recvmsg,getsockopt,setsockopt,getsockname,\
 *     getpeername,shutdown,sendto,recvfrom,socket,connect,getxattr,listxattr,removexattr st-net */
#define _GNU_SOURCE
#include "st-common.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/xattr.h>

int main(void) {
  long rc;
  int sv[2];
  rc = syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
  expect("socketpair(AF_UNIX, SOCK_STREAM, 0, [%d, %d]) = %s", sv[0], sv[1], sprintrc(rc));

  union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
  memset(&ctl, 0, sizeof ctl);
  char c = 'x';
  struct iovec iov = { &c, 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b };
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(h), &sv[0], sizeof(int));
  rc = syscall(SYS_sendmsg, sv[0], &m, 0);
  expect("sendmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, "
         "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[%d]}], msg_controllen=24, "
         "msg_flags=0}, 0) = %s", sv[0], sv[0], sprintrc(rc));

  union { char b[64]; struct cmsghdr align; } rctl;
  char d = 0;
  struct iovec riov = { &d, 1 };
  struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl.b, .msg_controllen = sizeof rctl.b };
  rc = syscall(SYS_recvmsg, sv[1], &r, MSG_CMSG_CLOEXEC);
  int got;
  memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&r)), sizeof got);
  expect("recvmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, "
         "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[%d]}], msg_controllen=24, "
         "msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = %s", sv[1], got, sprintrc(rc));

  int v = 0;
  socklen_t l = sizeof v;
  rc = syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_TYPE, &v, &l);
  expect("getsockopt(%d, SOL_SOCKET, SO_TYPE, [1], [4]) = %s", sv[0], sprintrc(rc));
  struct ucred cr;
  l = sizeof cr;
  rc = syscall(SYS_getsockopt, sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &l);
  expect("getsockopt(%d, SOL_SOCKET, SO_PEERCRED, {pid=%d, uid=%u, gid=%u}, [12]) = %s", sv[0], (int)getpid(),
         (unsigned)getuid(), (unsigned)getgid(), sprintrc(rc));

  struct sockaddr_un sa;
  l = sizeof sa;
  rc = syscall(SYS_getsockname, sv[0], &sa, &l);
  expect("getsockname(%d, {sa_family=AF_UNIX}, [110 => 2]) = %s", sv[0], sprintrc(rc));
  rc = syscall(SYS_getpeername, sv[1], &sa, &l);
  expect("getpeername(%d, {sa_family=AF_UNIX}, [2]) = %s", sv[1], sprintrc(rc));

  rc = syscall(SYS_shutdown, sv[0], SHUT_WR);
  expect("shutdown(%d, SHUT_WR) = %s", sv[0], sprintrc(rc));
  rc = syscall(SYS_sendto, sv[0], "ab", 2, MSG_NOSIGNAL, NULL, 0);
  expect("sendto(%d, \"ab\", 2, MSG_NOSIGNAL, NULL, 0) = %s", sv[0], sprintrc(rc));
  char buf[8];
  rc = syscall(SYS_recvfrom, sv[1], buf, 1, MSG_DONTWAIT, NULL, NULL);
  expect("recvfrom(%d, \"\", 1, MSG_DONTWAIT, NULL, NULL) = %s", sv[1], sprintrc(rc));

  /* Datagrams with credentials; a receive that fails shows what went in, one that succeeds
   * msg_namelen's change and a control message cut short. */
  int dg[2];
  rc = syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, dg);
  expect("socketpair(AF_UNIX, SOCK_DGRAM, 0, [%d, %d]) = %s", dg[0], dg[1], sprintrc(rc));
  char dbuf[16];
  struct iovec diov = { dbuf, sizeof dbuf };
  struct sockaddr_un from;
  struct msghdr dm = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &diov, .msg_iovlen = 1 };
  rc = syscall(SYS_recvmsg, dg[1], &dm, MSG_DONTWAIT);
  expect("recvmsg(%d, {msg_namelen=110}, MSG_DONTWAIT) = %s", dg[1], sprintrc(rc));
  union { char b[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } cc;
  memset(&cc, 0, sizeof cc);
  memcpy(dbuf, "abc", 3);
  diov.iov_len = 3;
  struct msghdr cm = { .msg_iov = &diov, .msg_iovlen = 1, .msg_control = cc.b, .msg_controllen = sizeof cc.b };
  struct cmsghdr *ch = CMSG_FIRSTHDR(&cm);
  ch->cmsg_level = SOL_SOCKET;
  ch->cmsg_type = SCM_CREDENTIALS;
  ch->cmsg_len = CMSG_LEN(sizeof(struct ucred));
  struct ucred me = { getpid(), getuid(), getgid() };
  memcpy(CMSG_DATA(ch), &me, sizeof me);
  rc = syscall(SYS_sendmsg, dg[0], &cm, 0);
  expect("sendmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=3}], msg_iovlen=1, "
         "msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=%d, uid=%u, gid=%u}}], "
         "msg_controllen=32, msg_flags=0}, 0) = %s", dg[0], (int)me.pid, (unsigned)me.uid, (unsigned)me.gid, sprintrc(rc));
  int on = 1;
  syscall(SYS_setsockopt, dg[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  expect("setsockopt(%d, SOL_SOCKET, SO_PASSCRED, [1], 4) = 0", dg[1]);
  rc = syscall(SYS_sendmsg, dg[0], &cm, 0);
  expect("sendmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=3}], msg_iovlen=1, "
         "msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=%d, uid=%u, gid=%u}}], "
         "msg_controllen=32, msg_flags=0}, 0) = %s", dg[0], (int)me.pid, (unsigned)me.uid, (unsigned)me.gid, sprintrc(rc));
  union { char b[16]; struct cmsghdr align; } small;
  diov.iov_len = 2;
  dm.msg_control = small.b;
  dm.msg_controllen = sizeof small.b;
  rc = syscall(SYS_recvmsg, dg[1], &dm, 0);
  expect("recvmsg(%d, {msg_name=%p, msg_namelen=110 => 0, msg_iov=[{iov_base=\"ab\", iov_len=2}], msg_iovlen=1, "
         "msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS}], msg_controllen=16, "
         "msg_flags=MSG_CTRUNC|MSG_TRUNC}, 0) = %s", dg[1], (void *)&from, sprintrc(rc));
  socklen_t fl = sizeof from;
  rc = syscall(SYS_recvfrom, dg[1], dbuf, sizeof dbuf, 0, &from, &fl);
  expect("recvfrom(%d, \"abc\", 16, 0, %p, [110 => 0]) = %s", dg[1], (void *)&from, sprintrc(rc));

  int s = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  expect("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = %s", sprintrc(s));
  struct sockaddr_un nscd = { AF_UNIX, "/var/run/nscd/socket" };
  rc = syscall(SYS_connect, s, &nscd, sizeof nscd);
  expect("connect(%d, {sa_family=AF_UNIX, sun_path=\"/var/run/nscd/socket\"}, 110) = %s", s, sprintrc(rc));

  rc = syscall(SYS_getxattr, ".", "user.x", buf, sizeof buf);
  expect("getxattr(\".\", \"user.x\", %p, 8) = %s", (void *)buf, sprintrc(rc));
  rc = syscall(SYS_listxattr, "no-such-file", buf, sizeof buf);
  expect("listxattr(\"no-such-file\", %p, 8) = %s", (void *)buf, sprintrc(rc));
  rc = syscall(SYS_removexattr, ".", "user.x");
  expect("removexattr(\".\", \"user.x\") = %s", sprintrc(rc));

  expect("+++ exited with 0 +++");
  st_emit();
  return 0;
}
