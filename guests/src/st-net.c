/* strace-style self-check of AF_UNIX socket calls and the xattr family: socketpair, sendmsg with
 * SCM_RIGHTS, recvmsg with MSG_CMSG_CLOEXEC, getsockopt (SO_TYPE, SO_PEERCRED), getsockname,
 * getpeername, shutdown, sendto, recvfrom, socket, connect (the nscd probe), getxattr, listxattr,
 * removexattr. Prints the trace lines it expects (see st-common.h); run it in a scratch directory.
 *   rvtrace trace -a0 -e trace=socketpair,sendmsg,recvmsg,getsockopt,getsockname,getpeername,\
 *     shutdown,sendto,recvfrom,socket,connect,getxattr,listxattr,removexattr st-net */
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
