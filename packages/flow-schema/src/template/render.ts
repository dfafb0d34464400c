import { lookupPath } from "./lookup";
import { type ParsedTemplate, parseTemplate } from "./parse";
import { stringifyTemplateValue } from "./stringify";

/** Options of `renderTemplate`. */
export interface RenderTemplateOptions {
  /**
   * Applied to each substituted value after stringifying (not to literal text), e.g. JSON string
   * escaping for a JSON body template. Default: none.
   */
  readonly escape?: (text: string) => string;
  /** Cut the result to at most this many characters. Default: no limit. */
  readonly maxLength?: number;
}

/**
 * Renders a template (source text or the result of `parseTemplate`) against a variables object:
 * each `{{ path }}` becomes the value at that path (see `lookupPath`) turned into text by
 * `stringifyTemplateValue`; missing values render as `""`. Malformed placeholders stay as
 * literal text. Pure: no code runs, nothing throws.
 */
export function renderTemplate(
  template: string | ParsedTemplate,
  variables: unknown,
  options: RenderTemplateOptions = {},
): string {
  const parsed = typeof template === "string" ? parseTemplate(template) : template;
  let output = "";
  for (const part of parsed.parts) {
    if (part.type === "text") {
      output += part.text;
    } else {
      const text = stringifyTemplateValue(lookupPath(variables, part.segments));
      output += options.escape ? options.escape(text) : text;
    }
    if (options.maxLength !== undefined && output.length > options.maxLength) {
      return output.slice(0, options.maxLength);
    }
  }
  return output;
}
