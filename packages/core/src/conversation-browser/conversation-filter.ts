import { ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

export { type ConversationFilters, stateOf } from "@parley/db";

/** Throws `invalid-cursor` unless `cursor` is an id this API could have returned. */
export function assertCursor(cursor: string | undefined): void {
  if (cursor !== undefined && !isUuid(cursor)) {
    throw new ServiceError("invalid", "invalid-cursor", "cursor is not a cursor this API returned", {
      errors: [{ path: "cursor", message: "unknown cursor" }],
    });
  }
}
