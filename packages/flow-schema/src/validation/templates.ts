import { templatesOf } from "../references/templates-of";
import { parseTemplate } from "../template/parse";
import type { ValidationRule } from "./context";

/** `invalid-template`: a malformed `{{ }}` placeholder in any template of a node or the fallback message. */
export const checkTemplateSyntax: ValidationRule = ({ flow, report, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    for (const { template, location } of templatesOf(node)) {
      for (const error of parseTemplate(template).errors) {
        reportAtNode(index, "invalid-template", error.message, location);
      }
    }
  });
  for (const error of parseTemplate(flow.settings.fallback.message).errors) {
    report(null, ["settings", "fallback", "message"], "invalid-template", error.message);
  }
};
