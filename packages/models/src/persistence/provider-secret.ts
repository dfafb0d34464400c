import { secretBinding } from "@parley/infra";

/** Associated data binding a provider's API key ciphertext to its row (tenant, table, row, field). */
export function providerKeyBinding(tenantId: string, providerId: string): string {
  return secretBinding({ tenantId, table: "ModelProvider", rowId: providerId, field: "apiKey" });
}
