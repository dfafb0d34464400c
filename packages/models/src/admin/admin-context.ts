import type { ModelAdminOptions } from "./model-admin";

/** What the parts of {@link ModelAdmin} work with: its options and the change notification (internal). */
export interface AdminContext {
  readonly options: ModelAdminOptions;
  /** Drops cached configurations of the tenant after a change. */
  changed(tenantId: string): void;
}
