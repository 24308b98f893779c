// Loads the modules tools/xlat-values.mjs checks, from src/ (the tool's own command line loads the
// built copies from dist/), and turns their exports into checks.
import { MODULES, collectChecks, type Check } from "../../tools/xlat-values.mjs";

export async function loadModules(): Promise<[string, Record<string, unknown>][]> {
  return Promise.all(
    MODULES.map(async (m): Promise<[string, Record<string, unknown>]> => {
      const url = new URL(`../../src/${m}.ts`, import.meta.url).href;
      return [m, await import(/* @vite-ignore */ url)];
    }),
  );
}

export async function loadChecks(): Promise<Check[]> {
  return collectChecks(await loadModules());
}
