/**
 * Draft saves still on their way, per flow, across designer mounts: a designer closed by navigation
 * hands its last save here, and the next designer of that flow waits for it before loading the
 * draft (otherwise it would load the draft from before that save, and its first save would look like
 * somebody else's conflicting edit).
 */
const pending = new Map<string, Promise<unknown>>();

/** Records a save of `flowId` that later loads must wait for. */
export function trackSave(flowId: string, save: Promise<unknown>): void {
  const settled = save.catch(() => undefined);
  pending.set(flowId, settled);
  void settled.then(() => {
    if (pending.get(flowId) === settled) pending.delete(flowId);
  });
}

/** Resolves when no save of `flowId` is on its way (at once when none is). */
export async function savesSettled(flowId: string): Promise<void> {
  for (let current = pending.get(flowId); current; current = pending.get(flowId)) await current;
}
