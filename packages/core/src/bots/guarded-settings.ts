import type { Permission } from "../access/permissions";
import { actorCan, type ServiceContext } from "../context";
import { ServiceError } from "../errors";

/**
 * Bot settings keys a higher permission than `bots:write` guards: `models` holds the bot's model
 * routing (default route, overrides, preferred providers), which spends the model budget and is
 * managed with `models:manage` on the models page.
 */
export const GUARDED_BOT_SETTINGS: Readonly<Record<string, Permission>> = { models: "models:manage" };

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Refuses a settings patch that changes (sets, replaces or removes) a guarded key the actor may not
 * manage, naming the field. Sending a guarded key back unchanged is allowed, so a form that saves
 * the whole settings object still works for editors.
 */
export function assertSettingsAllowed(
  ctx: ServiceContext,
  current: Record<string, unknown>,
  patch: Record<string, unknown> | undefined,
): void {
  if (!patch) return;
  const refused = Object.keys(patch).filter((key) => {
    const permission = GUARDED_BOT_SETTINGS[key];
    return (
      permission !== undefined && !actorCan(ctx.actor, permission) && !sameJson(current[key], patch[key])
    );
  });
  if (refused.length === 0) return;
  const errors = refused.map((key) => ({
    path: `settings.${key}`,
    message: `changing settings.${key} needs ${GUARDED_BOT_SETTINGS[key]}`,
  }));
  throw new ServiceError("forbidden", "setting-forbidden", errors.map((e) => e.message).join("; "), {
    errors,
  });
}
