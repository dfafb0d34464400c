import type { CoreDeps } from "../context";
import { nowOf } from "../context";

/** What happened on a channel, for its live status. */
export type ChannelOutcome =
  | { kind: "inbound"; at?: Date }
  | { kind: "outbound"; at?: Date }
  | { kind: "error"; error: string; at?: Date };

/** When this process last wrote each channel's inbound/outbound time, and channels with a failure since. */
const lastWrites = new Map<string, number>();
const failedSince = new Set<string>();
/** Inbound and outbound times are written at most this often per channel and process (one write per message is waste). */
const STATUS_WRITE_INTERVAL_MS = 1_000;

/** Whether a success time can be skipped: written recently and no failure to clear since (internal). */
function skipWrite(channelId: string, kind: ChannelOutcome["kind"], nowMs: number): boolean {
  if (kind === "error") {
    failedSince.add(channelId);
    return false;
  }
  const key = `${channelId}:${kind}`;
  const last = lastWrites.get(key);
  if (kind === "outbound" && failedSince.delete(channelId)) {
    lastWrites.set(key, nowMs);
    return false;
  }
  if (last !== undefined && nowMs - last < STATUS_WRITE_INTERVAL_MS) return true;
  if (lastWrites.size > 10_000) lastWrites.clear();
  lastWrites.set(key, nowMs);
  return false;
}

/**
 * Records the channel's last inbound event, last delivered reply or last failure (internal). Only
 * status: a failure to write it is logged, never fails the work it describes.
 */
export async function recordChannelOutcome(
  deps: CoreDeps,
  channelId: string,
  outcome: ChannelOutcome,
): Promise<void> {
  const at = outcome.at ?? nowOf(deps);
  if (skipWrite(channelId, outcome.kind, at.getTime())) return;
  const data =
    outcome.kind === "inbound"
      ? { lastInboundAt: at }
      : outcome.kind === "outbound"
        ? { lastOutboundAt: at }
        : { lastError: outcome.error.slice(0, 1_000), lastErrorAt: at };
  await deps.db.system.channelConfig
    .updateMany({ where: { id: channelId }, data })
    .catch((error: unknown) =>
      deps.logger?.warn({ error: String(error), channelId }, "could not record the channel's status"),
    );
}
