import type { AnyParityRow } from "../row";

/** Members, invitations and the audit log (rows added as their REST twins land). */
export const memberRows: readonly AnyParityRow[] = [];
