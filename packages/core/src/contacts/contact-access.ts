import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";

/**
 * Contacts are workspace-wide; an `agent` works the inbox of the bots it is given and nothing else,
 * so it reads a visitor's details in the conversation, never the contact book.
 */
export function refuseAgents(ctx: ServiceContext): void {
  if (ctx.actor.type === "user" && ctx.actor.role === "agent") {
    throw new ServiceError(
      "forbidden",
      "forbidden",
      "agents see visitors in their inbox conversations only, not the workspace's contacts",
    );
  }
}
