import { abandonmentTimeoutMinutesSchema } from "@parley/contract";
import { ServiceError } from "../errors";

/**
 * Refuses a bot settings patch whose `abandonmentTimeoutMinutes` is not whole minutes from 1 to 43200
 * (null removes it: back to the default 30), naming the field.
 */
export function assertAnalyticsSettings(settings: Record<string, unknown> | undefined): void {
  const value = settings?.abandonmentTimeoutMinutes;
  if (value === undefined || value === null) return;
  if (abandonmentTimeoutMinutesSchema.safeParse(value).success) return;
  const message = "must be whole minutes from 1 to 43200 (30 days)";
  throw new ServiceError(
    "invalid",
    "invalid-input",
    `invalid bot update: settings.abandonmentTimeoutMinutes: ${message}`,
    {
      errors: [{ path: "settings.abandonmentTimeoutMinutes", message }],
    },
  );
}
