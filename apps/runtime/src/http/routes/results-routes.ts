import { botIdParamsSchema, resultsPageSchema, resultsQuerySchema } from "@parley/contract";
import { exportResults, listResults, RESULTS_XLSX_MAX_ROWS } from "@parley/core";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The format asked for: `?format=`, else an Accept header preferring CSV or XLSX, else JSON. */
function formatOf(format: string | undefined, accept: string | undefined): "json" | "csv" | "xlsx" {
  if (format && format !== "json") return format as "csv" | "xlsx";
  if (format === "json") return "json";
  if (/(^|,)\s*text\/csv\b/i.test(accept ?? "")) return "csv";
  if ((accept ?? "").includes(XLSX_TYPE)) return "xlsx";
  return "json";
}

/** A bot's results: the variables its conversations captured, as a table (JSON pages, CSV, XLSX). */
export const resultsRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/results",
    operationId: "listResults",
    summary: "The variables a bot's conversations captured, one row per conversation (JSON, CSV or XLSX)",
    description:
      "The conversation list's filters and search apply; `columns` picks variables (comma-separated, " +
      "default: every variable the bot's published flows declare). With `format=csv` or `format=xlsx` " +
      `(or \`Accept: text/csv\` / \`${XLSX_TYPE}\`) every matching row is streamed (XLSX: at most ` +
      `${RESULTS_XLSX_MAX_ROWS} rows); \`limit\` and \`cursor\` apply to JSON only.`,
    tag: "Conversations",
    permission: "conversations:read",
    params: botIdParamsSchema,
    query: resultsQuerySchema,
    success: { status: 200, description: "A page of results", schema: resultsPageSchema },
    alternateContent: {
      "text/csv": "Every matching row as CSV (RFC 4180), header first",
      [XLSX_TYPE]: "Every matching row as an XLSX workbook (sheet Results)",
    },
    errors: [404, 422],
    handler: async ({ params, query, ctx, request, reply }) => {
      // The raw query: the parsed one defaults `format` to json, hiding whether it was sent.
      const sent = (request.query as { format?: string } | undefined)?.format;
      const format = formatOf(sent, request.headers.accept);
      if (format === "json") return listResults(ctx, params.botId, { ...query, format: "json" });
      const file = await exportResults(ctx, params.botId, { ...query, format });
      reply.type(file.contentType).header("content-disposition", `attachment; filename="${file.filename}"`);
      return file.body;
    },
  }),
];
