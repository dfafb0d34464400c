/**
 * Runs `task` every `intervalMs` (unref'd: it never keeps the process up), skipping a tick while the
 * previous run is still going, so a slow run is never doubled. A rejection goes to `onError`; the next
 * tick tries again. `now` also runs it once at once.
 *
 * @example
 * sweeps.push(everyWithoutOverlap(5_000, () => sweep(deps), (err) => logger.warn({ err }, "sweep failed")));
 */
export function everyWithoutOverlap(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
  options: { now?: boolean } = {},
): NodeJS.Timeout {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  if (options.now) run();
  return setInterval(run, intervalMs).unref();
}
