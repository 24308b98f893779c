// The sandbox's /etc files and the time zone the guest gets.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { NSSWITCH, etcFiles, groupText, hostsText, passwdText, utcTzif } from "../../../src/kernel/procfs/etc.js";
import { hostTimezone } from "../../../src/kernel/host/timezone.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-etc-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const info = { uid: 1000, gid: 1001, user: "ann", hostname: "rvtrace", localtime: new Uint8Array([9]) };

describe("passwd and group", () => {
  test("root, the guest's user with its ids, nobody", () => {
    expect(passwdText(info)).toBe("root:x:0:0:root:/root:/bin/sh\nann:x:1000:1001:ann:/home/ann:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    expect(groupText(info)).toBe("root:x:0:\nann:x:1001:\nnogroup:x:65534:\n");
  });

  test("a guest running as root is root alone", () => {
    const root = { ...info, uid: 0, gid: 0 };
    expect(passwdText(root).split("\n").filter((l) => l.startsWith("root:"))).toHaveLength(1);
    expect(passwdText(root)).not.toContain("ann");
    expect(groupText(root)).toBe("root:x:0:\nnogroup:x:65534:\n");
  });

  test("a user name that would break the file's syntax is cleaned", () => {
    expect(passwdText({ ...info, user: "a:b\nc" }).split("\n")[1]).toBe("abc:x:1000:1001:abc:/home/abc:/bin/sh");
    expect(passwdText({ ...info, user: ":" }).split("\n")[1].startsWith("user:x:1000:")).toBe(true);
  });
});

test("nsswitch uses files alone, hosts names localhost and the host name", () => {
  for (const line of NSSWITCH.trimEnd().split("\n")) expect(line).toMatch(/^[a-z]+: files$/);
  expect(hostsText("rvtrace")).toBe("127.0.0.1\tlocalhost\n127.0.1.1\trvtrace\n::1\tlocalhost ip6-localhost ip6-loopback\n");
});

test("the files by path, sized, with the given localtime", () => {
  const files = etcFiles(info);
  expect(files.map((f) => f.guest)).toEqual(["/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hostname", "/etc/hosts", "/etc/localtime"]);
  for (const f of files) expect(f.root().sized).toBe(true);
  expect(files[5].root().content()).toEqual(new Uint8Array([9]));
});

describe("time zones", () => {
  test("the UTC TZif file is one the host's libc reads as UTC", () => {
    const file = path.join(tmp, "UTC");
    fs.writeFileSync(file, utcTzif());
    const r = spawnSync("date", ["-d", "@0", "+%Z %z %H"], { env: { TZ: file }, encoding: "utf8" });
    expect(r.stdout).toBe("UTC +0000 00\n");
  });

  test("TZ naming a zone file by absolute path gives that file; a file that is not TZif does not", () => {
    const zone = path.join(tmp, "zone");
    fs.writeFileSync(zone, Buffer.concat([Buffer.from("TZif2"), Buffer.alloc(40)]));
    expect(Buffer.from(hostTimezone(zone)!).subarray(0, 5).toString()).toBe("TZif2");
    expect(Buffer.from(hostTimezone(":" + zone)!).subarray(0, 5).toString()).toBe("TZif2");
    const junk = path.join(tmp, "junk");
    fs.writeFileSync(junk, "not a zone");
    const fallback = hostTimezone(junk);
    // Falls back to the host's /etc/localtime (or nothing), never the junk.
    expect(fallback === null || Buffer.from(fallback).subarray(0, 4).toString() === "TZif").toBe(true);
  });
});
