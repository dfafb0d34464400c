import type { CoreDeps } from "../context";
import { nowOf } from "../context";

/** A conversation counts as active when it is open and had activity this recently. */
const ACTIVE_WINDOW_MS = 30 * 60_000;

/**
 * Open conversations (waiting or handed off) with activity in the last 30 minutes, across every
 * tenant: the platform's `active conversations` gauge.
 */
export function countActiveConversations(deps: CoreDeps): Promise<number> {
  return deps.db.system.conversation.count({
    where: {
      status: { in: ["waiting", "handoff"] },
      lastActivityAt: { gt: new Date(nowOf(deps).getTime() - ACTIVE_WINDOW_MS) },
    },
  });
}
