// Socket calls: their arguments print as strace 6.1 prints them; these lines were checked against
// strace on a real socket program.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, E } from "./decode-helpers.js";

const m = new FakeMemory();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("arguments read at entry", () => {
  test("socket, connect, sendto, setsockopt", () => {
    expect(trace(m, "socket", [2, 0x80801, 6], E.ENOSYS)).toBe("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, "socket", [1, 0xffffffff, 0], E.EINVAL)).toBe("socket(AF_UNIX, SOCK_CLOEXEC|SOCK_NONBLOCK|0xfff7f7ff, 0) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "socket", [10, 2, 17], 4)).toBe("socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP) = 4");
    const un = new Uint8Array(110);
    un.set(pack([[2, 1]]));
    un.set(new TextEncoder().encode("/var/run/nscd/socket"), 2);
    expect(trace(m, "connect", [3, m.alloc(un), 110], E.ENOENT))
      .toBe('connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)');
    const in4 = m.alloc(new Uint8Array([2, 0, 0, 53, 8, 8, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(trace(m, "connect", [3, in4, 16], 0)).toBe('connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.4.4")}, 16) = 0');
    const in6 = new Uint8Array(28);
    in6.set([10, 0, 0x1f, 0x90]);
    in6[23] = 1;
    expect(trace(m, "bind", [3, m.alloc(in6), 28], 0))
      .toBe('bind(3, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0');
    expect(trace(m, "sendto", [3, m.alloc(new TextEncoder().encode("ping")), 4, 0x4000, 0, 0], 4)).toBe('sendto(3, "ping", 4, MSG_NOSIGNAL, NULL, 0) = 4');
    expect(trace(m, "setsockopt", [3, 1, 2, m.alloc(pack([[4, 1]])), 4], 0)).toBe("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
  });
});


describe("addresses and lengths written by the call", () => {
  const in4 = (port: number): Uint8Array => new Uint8Array([2, 0, port >> 8, port & 0xff, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);

  test("socketpair, getsockname with an in/out length", () => {
    const sv = m.alloc(new Uint8Array(8));
    expect(trace(m, "socketpair", [1, 1, 0, sv], 0, { during: () => m.write(sv, pack([[4, 3], [4, 4]])) }))
      .toBe("socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0");
    const addr = m.alloc(new Uint8Array(128));
    const len = m.alloc(pack([[4, 16]]));
    expect(trace(m, "getsockname", [5, addr, len], 0, { during: () => m.write(addr, in4(45533)) }))
      .toBe('getsockname(5, {sa_family=AF_INET, sin_port=htons(45533), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0');
    const len2 = m.alloc(pack([[4, 128]]));
    expect(trace(m, "getsockname", [5, addr, len2], 0, { during: () => m.write(len2, pack([[4, 16]])) }))
      .toBe('getsockname(5, {sa_family=AF_INET, sin_port=htons(45533), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0');
    expect(entryOnly(m, "getsockname", [5, addr, len])).toBe("getsockname(5, ");
  });

  test("accept4 that failed", () => {
    const addr = m.alloc(new Uint8Array(128));
    const len = m.alloc(pack([[4, 16]]));
    expect(trace(m, "accept4", [5, addr, len, 0x800], E.EAGAIN))
      .toBe(`accept4(5, 0x${addr.toString(16)}, [16], SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)`);
  });

  test("getsockopt", () => {
    const v = m.alloc(new Uint8Array(8));
    const vl = m.alloc(pack([[4, 4]]));
    expect(trace(m, "getsockopt", [5, 1, 3, v, vl], 0, { during: () => m.write(v, pack([[4, 1]])) }))
      .toBe("getsockopt(5, SOL_SOCKET, SO_TYPE, [1], [4]) = 0");
    const vl8 = m.alloc(pack([[4, 8]]));
    expect(trace(m, "getsockopt", [5, 1, 8, v, vl8], 0, { during: () => { m.write(v, pack([[4, 131072]])); m.write(vl8, pack([[4, 4]])); } }))
      .toBe("getsockopt(5, SOL_SOCKET, SO_RCVBUF, [131072], [8 => 4]) = 0");
  });

  test("recvfrom, sendmsg, recvmsg", () => {
    const buf = m.alloc(new Uint8Array(100));
    expect(trace(m, "recvfrom", [4, buf, 100, 0, 0, 0], 5, { during: () => m.write(buf, enc("hello")) }))
      .toBe('recvfrom(4, "hello", 100, 0, NULL, NULL) = 5');
    const abc = m.alloc(enc("abc"));
    const iov = m.struct([[8, abc], [8, 3]]);
    const mh = m.struct([[8, 0], [4, 0], [4, 0], [8, iov], [8, 1], [8, 0], [8, 0], [4, 0], [4, 0]]);
    expect(trace(m, "sendmsg", [3, mh, 0x4000], 3)).toBe(
      'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="abc", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = 3');
    const rbuf = m.alloc(new Uint8Array(100));
    const riov = m.struct([[8, rbuf], [8, 100]]);
    const rh = m.struct([[8, 0], [4, 0], [4, 0], [8, riov], [8, 1], [8, 0], [8, 0], [4, 0], [4, 0]]);
    expect(trace(m, "recvmsg", [4, rh, 0], 3, { during: () => m.write(rbuf, enc("abc")) })).toBe(
      'recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="abc", iov_len=100}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 3');
    // A failed recvmsg shows only the name length that went in (strace 6.1 on the host says so).
    expect(trace(m, "recvmsg", [4, rh, 0], E.EAGAIN)).toBe("recvmsg(4, {msg_namelen=0}, 0) = -1 EAGAIN (Resource temporarily unavailable)");
    expect(trace(m, "recvmsg", [4, 16, 0], E.EFAULT)).toBe("recvmsg(4, 0x10, 0) = -1 EFAULT (Bad address)");
  });

  test("control messages: SCM_RIGHTS, SCM_CREDENTIALS, a short cmsg_len, another level", () => {
    const x = m.alloc(enc("x"));
    const iov = m.struct([[8, x], [8, 1]]);
    const rights = m.struct([[8, 20], [4, 1], [4, 1], [4, 5], [4, 0]]);
    const mh = (ctl: number, len: number) => m.struct([[8, 0], [4, 0], [4, 0], [8, iov], [8, 1], [8, ctl], [8, len], [4, 0], [4, 0]]);
    expect(trace(m, "sendmsg", [3, mh(rights, 24), 0], 1)).toBe(
      'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}], msg_controllen=24, msg_flags=0}, 0) = 1');
    const cred = m.struct([[8, 28], [4, 1], [4, 2], [4, 1000], [4, 0], [4, 0], [4, 0]]);
    expect(trace(m, "sendmsg", [3, mh(cred, 32), 0], 1)).toContain(
      "msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=1000, uid=0, gid=0}}], msg_controllen=32");
    const short = m.struct([[8, 8], [4, 1], [4, 1]]);
    expect(trace(m, "sendmsg", [3, mh(short, 16), 0], E.EINVAL)).toContain("msg_control=[{cmsg_len=8, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS}], msg_controllen=16");
    const tcp = m.struct([[8, 20], [4, 6], [4, 1], [4, 9], [4, 0]]);
    expect(trace(m, "sendmsg", [3, mh(tcp, 24), 0], 1)).toContain("msg_control=[{cmsg_len=20, cmsg_level=SOL_TCP, cmsg_type=0x1}], msg_controllen=24");
  });

  test("epoll_pwait prints the events it returned", () => {
    const out = m.alloc(new Uint8Array(64));
    expect(trace(m, "epoll_pwait", [6, out, 4, 100, 0, 8], 1, { during: () => m.write(out, pack([[4, 1], [4, 0], [8, 7]])) }))
      .toBe("epoll_pwait(6, [{events=EPOLLIN, data={u32=7, u64=7}}], 4, 100, NULL, 8) = 1");
    expect(trace(m, "epoll_pwait", [6, out, 4, 0, 0, 8], 0)).toBe("epoll_pwait(6, [], 4, 0, NULL, 8) = 0");
    expect(trace(m, "epoll_pwait2", [6, out, 4, m.struct([[8, 1], [8, 0]]), 0, 8], 0)).toBe("epoll_pwait2(6, [], 4, {tv_sec=1, tv_nsec=0}, NULL, 8) = 0");
  });

  test("pwritev2", () => {
    const hello = m.alloc(enc("hello"));
    const iov = m.struct([[8, hello], [8, 5]]);
    expect(trace(m, "pwritev2", [4, iov, 1, 7, 0, 0x10], 5)).toBe('pwritev2(4, [{iov_base="hello", iov_len=5}], 1, 7, RWF_APPEND) = 5');
  });
});
