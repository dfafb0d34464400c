import { fileURLToPath } from "node:url";

/** The repository root (where the workspaces live), found from this file's location. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Directories of the apps `parley start` launches. */
export const appDirs = {
  runtime: fileURLToPath(new URL("../../../apps/runtime/", import.meta.url)),
  studio: fileURLToPath(new URL("../../../apps/studio/", import.meta.url)),
} as const;

/** The `parley` executable (a child process runs `node <cliBin> <command>` for work kept out of the parent). */
export const cliBin = fileURLToPath(new URL("../bin/parley.js", import.meta.url));

/** Preload that tells the studio each request's real TCP peer (see bin/studio-peer.cjs). */
export const studioPeerPreload = fileURLToPath(new URL("../bin/studio-peer.cjs", import.meta.url));
/** Preload for supervised children that cannot watch their parent themselves (see the file). */
export const exitWithParentPreload = fileURLToPath(new URL("../bin/exit-with-parent.cjs", import.meta.url));
