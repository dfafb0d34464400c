import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * Content of individual nodes:
 * - `ask-without-prompt`: an ask whose prompt is empty or blank;
 * - `empty-message`: a message with blank text and no image or card;
 * - `ab-split-weights`: variant weights that do not sum to 100;
 * - `invalid-range`: a minimum above its maximum (number, text length, date);
 * - `duplicate-option`: two choice options with the same id or the same saved value.
 */
export const checkNodeContent: ValidationRule = ({ flow, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    switch (node.kind) {
      case "ask": {
        if (node.data.prompt.trim() === "") {
          reportAtNode(index, "ask-without-prompt", `${nodeName(node)}: write the question to ask`, [
            "data",
            "prompt",
          ]);
        }
        const input = node.data.input;
        const range =
          input.type === "number"
            ? { min: input.min, max: input.max, what: "minimum", location: "min" }
            : input.type === "text"
              ? { min: input.minLength, max: input.maxLength, what: "minimum length", location: "minLength" }
              : input.type === "date"
                ? { min: input.min, max: input.max, what: "earliest date", location: "min" }
                : undefined;
        if (range && range.min !== undefined && range.max !== undefined && range.min > range.max) {
          reportAtNode(
            index,
            "invalid-range",
            `the ${range.what} ${range.min} is above the maximum ${range.max}`,
            ["data", "input", range.location],
          );
        }
        if (input.type === "choice") {
          const seen = new Set<string>();
          input.options.forEach((option, optionIndex) => {
            for (const key of new Set([`id:${option.id}`, `value:${option.value ?? option.label}`])) {
              if (seen.has(key)) {
                reportAtNode(
                  index,
                  "duplicate-option",
                  `choice option ${optionIndex + 1} repeats the ${key.startsWith("id:") ? "id" : "value"} "${key.slice(key.indexOf(":") + 1)}"`,
                  ["data", "input", "options", optionIndex],
                );
              }
              seen.add(key);
            }
          });
        }
        break;
      }
      case "message":
        if ((node.data.text ?? "").trim() === "" && !node.data.image && !node.data.card) {
          reportAtNode(index, "empty-message", `${nodeName(node)}: write the message to send`, [
            "data",
            "text",
          ]);
        }
        break;
      case "ab-split": {
        const total = node.data.variants.reduce((sum, variant) => sum + variant.weight, 0);
        if (total !== 100) {
          reportAtNode(
            index,
            "ab-split-weights",
            `the variant weights of ${nodeName(node)} sum to ${total}, not 100`,
            ["data", "variants"],
          );
        }
        break;
      }
      default:
        break;
    }
  });
};
