import { PassThrough, type Readable } from "node:stream";
import { type ResultsPage, resultsQuerySchema } from "@parley/contract";
import {
  type ConversationFilters,
  type ConversationRow,
  conversationWhere,
  Prisma,
  selectConversationPage,
  type TenantClient,
  toSummary,
} from "@parley/db";
import ExcelJS from "exceljs";
import type { z } from "zod";
import { csvField } from "../audit/csv";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { assertCursor } from "./conversation-filter";

/** The results query (filters, columns, format) as callers send it. */
export type ResultsQuery = z.input<typeof resultsQuerySchema>;

/** Rows fetched per round trip while exporting. */
const EXPORT_PAGE = 1000;
/** A worksheet holds 1,048,576 rows; one is the header. */
export const RESULTS_XLSX_MAX_ROWS = 1_048_575;

/** The fixed columns before the variables, in CSV/XLSX header order. */
const FIXED_COLUMNS = [
  "conversation_id",
  "started_at",
  "last_activity_at",
  "state",
  "channel",
  "contact",
  "flow_version",
] as const;

type ResultRow = ResultsPage["items"][number];

interface ResultsPlan {
  filters: ConversationFilters;
  columns: string[];
  availableColumns: string[];
  where: Prisma.Sql;
}

/**
 * The variables the bot's published flows declare, in declaration order (newest versions first
 * decide the order, names are listed once).
 */
async function declaredVariables(db: TenantClient, tenantId: string, botId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT v.value->>'name' AS name
    FROM flow_versions fv
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(fv.document->'variables') = 'array' THEN fv.document->'variables' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS v(value, ordinal)
    WHERE fv.tenant_id = ${tenantId} AND fv.bot_id = ${botId} AND fv.status = 'published'::flow_version_status
    ORDER BY fv.version DESC, v.ordinal`;
  return [...new Set(rows.map((row) => row.name).filter((name): name is string => typeof name === "string"))];
}

/** Checks access, parses the query and resolves the columns (internal). */
async function plan(ctx: ServiceContext, botId: string, query: ResultsQuery): Promise<ResultsPlan> {
  authorize(ctx, "conversations:read");
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot read results");
  const parsed = parseInput(resultsQuerySchema, query, "query");
  await loadBot(ctx, botId);
  assertCursor(parsed.cursor);
  const availableColumns = await declaredVariables(tenantDb(ctx), ctx.tenantId, botId);
  const chosen = parsed.columns
    ?.split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const columns = chosen && chosen.length > 0 ? [...new Set(chosen)] : availableColumns;
  const { columns: _c, format: _f, ...filters } = parsed;
  return { filters, columns, availableColumns, where: conversationWhere(ctx.tenantId, botId, filters) };
}

/** Rows after `cursor` (newest first) with their variables (internal). */
function fetchRows(
  ctx: ServiceContext,
  results: ResultsPlan,
  cursor: string | undefined,
  limit: number,
): Promise<(ConversationRow & { variables: unknown })[]> {
  return selectConversationPage(tenantDb(ctx), {
    tenantId: ctx.tenantId,
    system: ctx.deps.db.system,
    where: results.where,
    q: results.filters.q,
    cursor,
    limit,
    extra: Prisma.sql`, c.variables`,
  });
}

function toResultRow(row: ConversationRow & { variables: unknown }, columns: readonly string[]): ResultRow {
  const summary = toSummary(row);
  const variables = (row.variables && typeof row.variables === "object" ? row.variables : {}) as Record<
    string,
    unknown
  >;
  return {
    conversationId: summary.conversationId,
    startedAt: summary.startedAt,
    lastActivityAt: summary.lastActivityAt,
    state: summary.state,
    channel: summary.channel,
    contactName: summary.contactName,
    flowVersion: summary.flowVersion,
    values: Object.fromEntries(columns.map((name) => [name, variables[name] ?? null])),
  };
}

/**
 * The variables a bot's conversations captured, as a table: one row per conversation (newest first,
 * the conversation list's filters and search apply), one column per variable (default: every
 * variable the bot's published flows declare; `columns` picks). Needs `conversations:read`.
 */
export async function listResults(
  ctx: ServiceContext,
  botId: string,
  query: ResultsQuery = {},
): Promise<ResultsPage> {
  const results = await plan(ctx, botId, query);
  const { filters, columns, availableColumns } = results;
  const rows = await fetchRows(ctx, results, filters.cursor, filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  return {
    columns,
    availableColumns,
    items: page.map((row) => toResultRow(row, columns)),
    nextCursor: rows.length > filters.limit ? page.at(-1)!.id : null,
  };
}

/** Every matching row, a page at a time (keyset paging, so memory stays flat however many). */
async function* allRows(ctx: ServiceContext, results: ResultsPlan, max: number): AsyncGenerator<ResultRow> {
  let cursor: string | undefined;
  let count = 0;
  while (count < max) {
    const wanted = Math.min(EXPORT_PAGE, max - count);
    const rows = await fetchRows(ctx, results, cursor, wanted);
    for (const row of rows) yield toResultRow(row, results.columns);
    count += rows.length;
    if (rows.length < wanted) break;
    cursor = rows.at(-1)!.id;
  }
}

/** A result row as header-ordered cells (variables as text or JSON). */
function cellsOf(row: ResultRow, columns: readonly string[]): unknown[] {
  return [
    row.conversationId,
    row.startedAt,
    row.lastActivityAt,
    row.state,
    row.channel,
    row.contactName,
    row.flowVersion,
    ...columns.map((name) => row.values[name]),
  ];
}

/** A file being streamed: its media type, a suggested name, and the bytes. */
export interface ResultsExport {
  contentType: string;
  filename: string;
  body: Readable;
}

/**
 * Every matching result row as CSV (RFC 4180, formulas defused) or XLSX (exceljs's streaming
 * writer: rows are written and flushed as they are read, never held all at once). Access, the
 * query and the columns are checked before the first byte, so errors are still proper answers.
 * `limit` and `cursor` do not apply. Needs `conversations:read`.
 */
export async function exportResults(
  ctx: ServiceContext,
  botId: string,
  query: ResultsQuery & { format: "csv" | "xlsx" },
): Promise<ResultsExport> {
  const results = await plan(ctx, botId, { ...query, cursor: undefined });
  const header = [...FIXED_COLUMNS, ...results.columns];
  const day = new Date().toISOString().slice(0, 10);
  if (query.format === "csv") {
    const body = PassThrough.from(
      (async function* () {
        yield `${header.map(csvField).join(",")}\r\n`;
        for await (const row of allRows(ctx, results, Number.MAX_SAFE_INTEGER)) {
          yield `${cellsOf(row, results.columns).map(csvField).join(",")}\r\n`;
        }
      })(),
    ) as Readable;
    return { contentType: "text/csv; charset=utf-8", filename: `results-${day}.csv`, body };
  }
  const body = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: body,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet("Results");
  sheet.addRow(header).commit();
  void (async () => {
    for await (const row of allRows(ctx, results, RESULTS_XLSX_MAX_ROWS)) {
      sheet.addRow(cellsOf(row, results.columns).map(xlsxCell)).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))));
  return {
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename: `results-${day}.xlsx`,
    body,
  };
}

/** A value as an XLSX cell: numbers, booleans and text as such, anything else as JSON. */
function xlsxCell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  return JSON.stringify(value);
}
