import type { TenantClient } from "@parley/db";
import type { SecretVault } from "@parley/infra";
import { providerKeyBinding } from "@parley/models";

/** Shortest key whose last four characters are shown (shorter ones would give too much away). */
const HINT_MIN_LENGTH = 12;

/**
 * How the studio names a stored provider key without showing it: `…abcd` (its last four
 * characters, decrypted on the server and never sent whole), or `set` for a short key or one the
 * current keyring cannot decrypt. Providers without a key are absent from the map.
 */
export async function providerKeyHints(
  db: TenantClient,
  vault: SecretVault,
  tenantId: string,
): Promise<Map<string, string>> {
  const rows = await db.modelProvider.findMany({
    where: { apiKeyCiphertext: { not: null } },
    select: { id: true, apiKeyCiphertext: true },
  });
  const hints = new Map<string, string>();
  for (const row of rows) {
    if (!row.apiKeyCiphertext) continue;
    try {
      const key = vault.decrypt(row.apiKeyCiphertext, providerKeyBinding(tenantId, row.id));
      hints.set(row.id, key.length >= HINT_MIN_LENGTH ? `…${key.slice(-4)}` : "set");
    } catch {
      // A key encrypted under a retired keyring entry: it is stored, but calls will fail to use it.
      hints.set(row.id, "set (cannot be decrypted: enter it again)");
    }
  }
  return hints;
}
