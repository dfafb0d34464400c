import type { TenantClient } from "@parley/db";

/** A row's target, as the audit log stores it. */
interface Target {
  targetType: string;
  targetId: string | null;
}

type Lookup = (db: TenantClient, ids: string[]) => Promise<Array<{ id: string; label: string }>>;

/** How each target type's current name is found (types not listed show their id). */
const lookups: Record<string, Lookup> = {
  bot: async (db, ids) =>
    (await db.bot.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((r) => ({
      id: r.id,
      label: r.name,
    })),
  flow: async (db, ids) =>
    (await db.flow.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((r) => ({
      id: r.id,
      label: r.name,
    })),
  integration: async (db, ids) =>
    (await db.integration.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map(
      (r) => ({ id: r.id, label: r.name }),
    ),
  knowledge_document: async (db, ids) =>
    (
      await db.knowledgeDocument.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } })
    ).map((r) => ({ id: r.id, label: r.title })),
  model_provider: async (db, ids) =>
    (await db.modelProvider.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map(
      (r) => ({ id: r.id, label: r.name }),
    ),
  model_route: async (db, ids) =>
    (await db.modelRoute.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map(
      (r) => ({
        id: r.id,
        label: r.name,
      }),
    ),
  api_key: async (db, ids) =>
    (await db.apiKey.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((r) => ({
      id: r.id,
      label: r.name,
    })),
  webhook: async (db, ids) =>
    (await db.webhookEndpoint.findMany({ where: { id: { in: ids } }, select: { id: true, url: true } })).map(
      (r) => ({ id: r.id, label: r.url }),
    ),
  invitation: async (db, ids) =>
    (await db.invitation.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } })).map(
      (r) => ({ id: r.id, label: r.email }),
    ),
  tenant: async (db, ids) =>
    (await db.tenant.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((r) => ({
      id: r.id,
      label: r.name,
    })),
  // A conversation by its bot, channel and start: never by its contact (an erased visitor's name
  // must not show in the log, and a label read now would show it until then).
  conversation: async (db, ids) =>
    (
      await db.conversation.findMany({
        where: { id: { in: ids } },
        select: { id: true, channel: true, startedAt: true, bot: { select: { name: true } } },
      })
    ).map((r) => ({
      id: r.id,
      label: `${r.bot.name} · ${r.channel} · ${r.startedAt.toISOString().slice(0, 16).replace("T", " ")}`,
    })),
  // People by their e-mail, while they are members (a removed member shows the id).
  user: async (db, ids) =>
    (
      await db.membership.findMany({
        where: { userId: { in: ids } },
        select: { userId: true, user: { select: { email: true } } },
      })
    ).map((r) => ({ id: r.userId, label: r.user.email })),
};

/**
 * The current names of a page's targets ("Pizza bot" instead of an id), one query per target type.
 * A deleted target, or a type without a name, has no label (the view shows its id). Names are read
 * now, not stored in the entry: the log keeps ids only, so an erased person leaves no name in it.
 */
export async function targetLabels(db: TenantClient, rows: readonly Target[]): Promise<Map<string, string>> {
  const idsByType = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!row.targetId || !lookups[row.targetType]) continue;
    const ids = idsByType.get(row.targetType) ?? new Set<string>();
    ids.add(row.targetId);
    idsByType.set(row.targetType, ids);
  }
  const found = await Promise.all(
    [...idsByType].map(async ([type, ids]) => {
      const lookup = lookups[type] as Lookup;
      return (await lookup(db, [...ids])).map(({ id, label }) => [`${type}:${id}`, label] as const);
    }),
  );
  return new Map(found.flat());
}
