import {
  CrashHistory,
  DEFAULT_RESTART_POLICY,
  describeDecision,
  describeExit,
  type RestartPolicy,
} from "@parley/infra/restart-policy";
import {
  type ChildSpec,
  type SupervisedChild,
  spawnChild,
  stopChild,
  waitUntilHealthy,
} from "./child-process";

/** Options of {@link superviseChild}. */
export interface SuperviseOptions {
  /** Where the children's output and the supervisor's reports go. */
  readonly out: NodeJS.WritableStream;
  readonly policy?: RestartPolicy;
  /** Called with every process spawned for the spec (the first and each restart), e.g. to answer its IPC. */
  readonly onSpawn?: (child: SupervisedChild) => void;
  /** How long a restarted child may take to answer its health URL before that is reported. */
  readonly healthTimeoutMs: number;
  /** Called once when the supervisor gives up on the child. */
  readonly onGiveUp?: () => void;
}

/** One product process kept running by {@link superviseChild}. */
export interface SupervisedService {
  readonly name: string;
  /** The process running now (the first one until a crash replaces it). */
  current(): SupervisedChild;
  /** True once the supervisor gave up restarting it. */
  givenUp(): boolean;
  /** Stops restarting and stops the current process (SIGTERM, SIGKILL after `graceMs`). */
  stop(graceMs: number): Promise<void>;
}

/**
 * Spawns a product process and restarts it when it dies without being asked to (see
 * {@link RestartPolicy}: exponential backoff, reset after a stable period, give up after too many
 * crashes in a window). Every crash and decision is reported on `out`, naming the process, its exit
 * code or signal, the attempt and the delay. {@link SupervisedService.stop} ends supervision first,
 * so a shutdown never races a restart.
 */
export function superviseChild(spec: ChildSpec, options: SuperviseOptions): SupervisedService {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  const history = new CrashHistory(policy);
  const report = (line: string) => options.out.write(`[supervisor] ${line}\n`);
  let stopped = false;
  let gaveUp = false;
  let pending: NodeJS.Timeout | undefined;
  let restarts = 0;

  const spawn = (): SupervisedChild => {
    const startedAt = Date.now();
    const child = spawnChild(spec, options.out);
    report(`${spec.name} started (pid ${child.process.pid ?? "?"})`);
    options.onSpawn?.(child);
    void child.exited.then(() => {
      if (stopped) return;
      const { exitCode, signalCode } = child.process;
      const decision = history.recordCrash(startedAt);
      const how = describeExit(exitCode, signalCode);
      if (decision.action === "give-up") {
        gaveUp = true;
        report(`${spec.name} exited unexpectedly (${how}); ${describeDecision(decision, policy)}.`);
        options.onGiveUp?.();
        return;
      }
      report(`${spec.name} exited unexpectedly (${how}); ${describeDecision(decision, policy)}.`);
      pending = setTimeout(() => {
        pending = undefined;
        if (stopped) return;
        restarts += 1;
        current = spawn();
        const restarted = current;
        const attempt = restarts;
        waitUntilHealthy(restarted, options.healthTimeoutMs).then(
          () => report(`${spec.name} is serving again (restart ${attempt}).`),
          () => {}, // its exit (if it died) is reported above; a slow start is not a crash
        );
      }, decision.delayMs);
    });
    return child;
  };

  let current = spawn();
  return {
    name: spec.name,
    current: () => current,
    givenUp: () => gaveUp,
    stop: async (graceMs) => {
      stopped = true;
      clearTimeout(pending);
      await stopChild(current, graceMs);
    },
  };
}
