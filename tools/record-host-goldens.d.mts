// Types of tools/record-host-goldens.mjs for the live tests.
import type { GuestCase, RunResult } from "./record-goldens.mjs";

export function prepareHostBuilds(cases: readonly GuestCase[]): { dir: string; dispose(): void };
export function runOnHost(c: GuestCase, dir: string): Promise<RunResult>;
