import type { DemoCredentials } from "../seed/demo-file";

/** What `parley start` prints once everything is healthy. */
export function printBanner(
  out: NodeJS.WritableStream,
  { demo, demoFile, embedded }: { demo: DemoCredentials; demoFile: string; embedded: boolean },
): void {
  const rows: [string, string][] = [
    ["Studio", demo.studioUrl],
    ["Runtime", demo.runtimeUrl],
    ["Widget demo", `${demo.runtimeUrl}/demo`],
    ["API docs", `${demo.runtimeUrl}/api/docs`],
    ["Database", embedded ? "embedded (PGlite)" : "DATABASE_URL"],
    ["Owner email", demo.ownerEmail],
    ["Owner password", demo.ownerPassword],
    ["Tenant id", demo.tenantId],
    ["Bot id", demo.botId],
    ["API key", demo.apiKey],
    ["Widget key", demo.publishableKey],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  out.write(
    [
      "",
      "Parley is running.",
      "",
      ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
      "",
      `  These details are saved in ${demoFile}. Press Ctrl-C to stop.`,
      "",
    ].join("\n"),
  );
}
