// An interactive riscv64 bash under rvtrace on a real terminal (tmux): a command's output, ^C of a
// foreground job (the shell lives on; $? is 130), ^Z of a job (bash reports it Stopped, `jobs`
// lists it, `fg` resumes it to the end), a background job and `wait`, and the shell's exit status
// as rvtrace's. This is what a person does at a shell; each step waits for the screen to show the
// shell's answer, then checks it. Needs tmux and `sh tools/fetch-shells.sh`; runs with
// `npm run test:live`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, SHELLS, makeApplets } from "./shell-applets.js";

const BASH = path.join(SHELLS, "bash");
const applets = makeApplets();
const SESSION = `rvtrace-interactive-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const screen = () => tmux("capture-pane", "-t", SESSION, "-p", "-S", "-200");
const type = (keys: string) => tmux("send-keys", "-t", SESSION, keys, "Enter");
const press = (key: string) => tmux("send-keys", "-t", SESSION, key);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the screen holds `count` lines matching `re`, and returns the screen. */
async function until(re: RegExp, count = 1): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = screen();
    const n = s.split("\n").filter((l) => re.test(l)).length;
    if (n >= count || Date.now() > deadline) return s;
    await sleep(100);
  }
}

afterAll(() => {
  spawnSync("tmux", ["kill-session", "-t", SESSION]);
  applets.dispose();
});

describe("an interactive bash under rvtrace on a terminal", () => {
  it("runs commands, and ^C, ^Z, jobs, fg, background jobs and exit behave as on Linux", async () => {
    expect(existsSync(BASH), "run sh tools/fetch-shells.sh").toBe(true);
    const mounts = applets.mounts.join(" ");
    const cmd = `cd ${ROOT} && node bin/rvtrace.js run --clear-env --env PS1='rv$ ' --env TERM=dumb --env PATH=${applets.bin} ${mounts} ${BASH} --norc --noprofile -i; echo "EXITED $?"; exec bash --norc --noprofile`;
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "50", cmd);
    await until(/^rv\$/);

    type("echo answer=$((6*7))");
    const first = await until(/^answer=42$/);
    expect(first).toMatch(/^answer=42$/m);
    // The line is echoed once, by bash's line editor: the host terminal's own echo is off while
    // bash reads (its termios is mirrored on the terminal).
    expect(first).toMatch(/^rv\$ echo answer=\$\(\(6\*7\)\)\nanswer=42$/m);

    type("sleep 30");
    await until(/^rv\$ sleep 30/);
    await sleep(500);
    press("C-c");
    type("echo status=$?");
    expect(await until(/^status=130$/)).toMatch(/^status=130$/m);

    type("sleep 2; echo after-sleep");
    await until(/^rv\$ sleep 2; echo after-sleep/);
    await sleep(500);
    press("C-z");
    expect(await until(/Stopped\s+sleep 2/)).toMatch(/^\[1\]\+\s+Stopped\s+sleep 2$/m);
    type("jobs");
    expect(await until(/^\[1\]\+\s+Stopped\s+sleep 2$/, 2)).toMatch(/^rv\$ jobs/m);
    type("fg");
    type("echo resumed-and-done");
    expect(await until(/^resumed-and-done$/)).toMatch(/^sleep 2\n(.*\n)*resumed-and-done$/m);

    type("sleep 1 & wait; echo waited=$?");
    const s = await until(/^waited=0$/);
    expect(s).toMatch(/^\[1\]\s+\d+$/m);
    expect(s).toMatch(/^waited=0$/m);

    type("exit 3");
    const end = await until(/^EXITED 3$/);
    // rvtrace gave the terminal back as it found it: echo and line editing on.
    type("stty -a | grep -q -E '(^| )-(echo|icanon)( |$)' && echo terminal=raw || echo terminal=cooked");
    expect(await until(/^terminal=/)).toMatch(/^terminal=cooked$/m);
    expect(end).toMatch(/^EXITED 3$/m);
    expect(end).not.toMatch(/command not found/);
  });
});
