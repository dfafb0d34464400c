import type { CoreDeps } from "../context";
import { nowOf } from "../context";

/** What happened on a channel, for its live status. */
export type ChannelOutcome =
  | { kind: "inbound"; at?: Date }
  | { kind: "outbound"; at?: Date }
  | { kind: "error"; error: string; at?: Date };

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
