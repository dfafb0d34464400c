import type { TenantClient } from "@parley/db";
import type { ValidateFlowOptions } from "@parley/flow-schema";
import { connectorById } from "./catalogue";

/**
 * What flow validation needs to check http nodes' `operation`: for each of the tenant's
 * integrations (by id and by name), the operations of its connector, or null when it has none.
 * Integrations the tenant does not have answer undefined (not checked here: the run's error branch
 * says so, as for any http node naming a missing integration).
 */
export async function integrationOperationsOf(
  db: TenantClient,
): Promise<NonNullable<ValidateFlowOptions["integrationOperations"]>> {
  const rows = await db.integration.findMany({ select: { id: true, name: true, config: true } });
  const byRef = new Map<string, { id: string; requiredInputs: string[] }[] | null>();
  for (const row of rows) {
    const connectorId = (row.config as { connector?: string } | null)?.connector;
    const connector = connectorId ? connectorById(connectorId) : undefined;
    const operations = connector
      ? connector.operations.map((operation) => ({
          id: operation.id,
          requiredInputs: operation.inputs
            .filter((input) => input.required && input.default === undefined)
            .map((input) => input.name),
        }))
      : null;
    byRef.set(row.id, operations);
    byRef.set(row.name, operations);
  }
  return (ref) => byRef.get(ref);
}
