// Dynamic import() for engine files and the TypeScript compiler, through one replaceable function.
//
// The rvtrace command runs from a single bundle compiled with vm.Script, so that V8 can reuse its
// compiled code from one run to the next (bin/load.js); import() in such a script fails unless Node
// runs with --experimental-vm-modules. The launcher, an ordinary ES module, passes in its own
// import() instead. The library (dist/index.js) is plain ES modules and keeps the default.

export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

let importer: ModuleImporter = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/** Makes importModule use f (called once, by the command's launcher). */
export function setModuleImporter(f: ModuleImporter): void {
  importer = f;
}

/** import(specifier): a URL, a data: URL or a package name. */
export function importModule(specifier: string): Promise<Record<string, unknown>> {
  return importer(specifier);
}
