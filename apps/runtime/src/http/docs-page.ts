const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
};

/**
 * A self-contained, readable API reference rendered from the OpenAPI document (no scripts, no
 * external assets, so it works offline and under a strict CSP).
 */
export function renderDocsPage(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? "Other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const info = document.info as { title: string; description: string; version: string };
  const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  const sections = [...byTag.entries()]
    .map(
      ([tag, ops]) =>
        `<section><h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops
          .map(
            ({ method, path, op }) => `<article id="${escapeHtml(op.operationId)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}
${
  op.parameters && op.parameters.length > 0
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td></tr>`,
        )
        .join("")}</table>`
    : ""
}
${op.requestBody ? `<h4>Request body</h4>${json(op.requestBody.content["application/json"]?.schema)}` : ""}
<h4>Responses</h4>${Object.entries(op.responses)
              .map(
                ([status, response]) =>
                  `<details${status.startsWith("2") ? " open" : ""}><summary><b>${status}</b> ${escapeHtml(response.description)}</summary>${Object.entries(
                    response.content ?? {},
                  )
                    .map(
                      ([type, media]) =>
                        `<p><code>${escapeHtml(type)}</code></p>${media.schema ? json(media.schema) : ""}`,
                    )
                    .join("")}</details>`,
              )
              .join("")}
</article>`,
          )
          .join("")}</section>`,
    )
    .join("");
  const nav = [...byTag.keys()]
    .map((tag) => `<a href="#${escapeHtml(tag)}">${escapeHtml(tag)}</a>`)
    .join(" · ");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(info.title)}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d2430}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #e3e7ee;padding-bottom:.3rem;margin-top:2.5rem}
article{border:1px solid #e3e7ee;border-radius:8px;padding:.4rem 1rem;margin:1rem 0}
pre{background:#f5f7fa;padding:.6rem;overflow:auto;font-size:12px;max-height:360px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #e3e7ee;padding:.2rem .5rem;text-align:left;vertical-align:top}
.m{font:bold 12px monospace;padding:.1rem .4rem;border-radius:4px;color:#fff}.get{background:#2b7de9}.post{background:#1f9d55}
.put,.patch{background:#c77c02}.delete{background:#d63c3c}
</style></head><body><h1>${escapeHtml(info.title)}</h1><p>Version ${escapeHtml(info.version)} · <a href="/api/v1/openapi.json">openapi.json</a></p>
<p>${escapeHtml(info.description)}</p><nav>${nav}</nav>${sections}</body></html>`;
}
