/**
 * V8 flags for the long-running Node processes `parley start` supervises (runtime, studio).
 *
 * A small young generation keeps idle memory low: V8's default semi-space (16 MiB, three of them)
 * is sized for throughput, and garbage left in it after start-up stays resident while the product
 * idles. 4 MiB costs a few more scavenges under load and saves tens of MB per process (measured with
 * bench/startup). The heap limit is left alone: capping it would turn a busy moment into a crash.
 */
export const CHILD_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/**
 * Environment for the same processes. glibc gives every thread that allocates its own 64 MiB malloc
 * arena and rarely returns freed arena memory; Node's helper threads (V8 compilers, libuv pool) leave
 * tens of MB resident that way. Two arenas are plenty for a single JavaScript thread. A value the
 * user set wins; other C libraries ignore the variable.
 */
export function childMemoryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2" };
}
