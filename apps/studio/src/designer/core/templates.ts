import { type FlowDocument, parseFlowDocument } from "@parley/flow-schema";

/** A starter template offered when creating a flow. */
export interface FlowTemplate {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly document: FlowDocument;
}

/**
 * Turns raw example documents (the repository's examples/flows/*.json) into templates, skipping any
 * that do not parse (a template that cannot be opened must not be offered).
 */
export function templatesFromExamples(examples: readonly { file: string; json: unknown }[]): FlowTemplate[] {
  const templates: FlowTemplate[] = [];
  for (const { file, json } of examples) {
    const parsed = parseFlowDocument(json);
    if (!parsed.ok) continue;
    const { $schema: _schema, ...document } = parsed.flow;
    templates.push({
      id: file.replace(/\.json$/, ""),
      name: document.name,
      description: document.description ?? "",
      document: document as FlowDocument,
    });
  }
  return templates.sort((a, b) => a.name.localeCompare(b.name));
}
