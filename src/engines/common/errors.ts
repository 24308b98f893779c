// Errors of the engines' option parsers and of --engine loading. Both are one line for a person;
// the CLI prints them after "rvtrace: " and exits with status 2.

/** A bad engine option (-e inject=, -e fault=, --deny, --allow, --remap, --engine). */
export class EngineOptionError extends Error {
  override readonly name = "EngineOptionError";
}

/** An --engine module that cannot be loaded, has no factory, or whose factory failed. */
export class EngineLoadError extends Error {
  override readonly name = "EngineLoadError";
}

/** The first line of an error's message (engines' errors must stay one line). */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.trim() || (e instanceof Error ? e.name : "unknown error");
}
