// What the command's launcher (bin/rvtrace.js) takes from the command's bundle (dist/rvtrace.cjs,
// built from this file by tools/build-cli.mjs), or from these modules when there is no bundle.
export { main } from "./main.js";
export { exitWhenIdle } from "./exit.js";
export { setModuleImporter } from "../engines/import-module.js";
