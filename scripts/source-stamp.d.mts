/** Directories and files whose contents the build depends on, relative to the repository root. */
export const BUILD_INPUTS: readonly string[];
/** sha256 over the paths and contents of every build input under `root`. */
export function sourceStamp(root: string): string;
/** True when `<root>/dist` was built from the sources as they are now. */
export function buildIsCurrent(root: string): boolean;
