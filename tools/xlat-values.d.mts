// Types for tools/xlat-values.mjs, so the TypeScript tests can import it.

/** One constant to compare: the header names in `terms`, ORed (and masked), must give `value`. */
export interface Check {
  /** "misc.ts EPOLL_EVENTS": the file and export the constant comes from. */
  where: string;
  /** The name as the table has it (one alternative of "A or B"). */
  label: string;
  terms: string[];
  value: bigint;
  mask?: bigint;
}

/** A constant as the headers define it: its value as unsigned long long, sizeof its type, which header set. */
export interface HeaderValue {
  value: bigint;
  size: number;
  from: string;
}

export interface HeaderSet {
  id: string;
  defines?: string[];
  includes: string[];
}

export declare const CC: string;
export declare const SNAPSHOT: string;
export declare const HEADER_PACKAGES: string[];
export declare const MODULES: string[];
export declare const NOT_CONSTANTS: Record<string, string>;
export declare const FIELD_MASKS: Record<string, bigint>;
export declare const HEADER_SETS: HeaderSet[];

export declare function collectChecks(modules: [string, Record<string, unknown>][]): Check[];
export declare function namesOf(checks: Check[]): string[];
export declare function readHeaderSet(set: HeaderSet, names: string[], cc?: string, args?: string[]): Map<string, { value: bigint; size: number }>;
export declare function uapiRootArgs(root: string): string[];
export declare function readHeaderValues(names: string[], cc?: string, uapiRoot?: string): Map<string, HeaderValue>;
export declare function headerPackageVersions(): string[];
export declare function snapshotText(found: Map<string, HeaderValue>, packages: string[]): string;
export declare function readSnapshot(file?: string): Map<string, HeaderValue>;
export declare function sameValue(tableValue: bigint, header: { value: bigint; size: number }): boolean;
export declare function mismatches(checks: Check[], values: Map<string, HeaderValue>, skip?: Set<string>): string[];
