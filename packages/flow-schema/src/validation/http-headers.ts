import { forbiddenHeaderReason } from "@parley/contract";
import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * `forbidden-header`: an http node sets `Host`, a hop-by-hop header, or (when it calls an
 * integration) a credential header. The call would be refused at run time too; reporting it here
 * stops it at validation and publishing, naming the node and the header.
 */
export const checkHttpHeaders: ValidationRule = ({ flow, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    if (node.kind !== "http") return;
    const integration = node.data.integrationId !== undefined;
    for (const name of Object.keys(node.data.headers)) {
      const reason = forbiddenHeaderReason(name, { integration });
      if (reason) {
        reportAtNode(index, "forbidden-header", `${nodeName(node)} sets the header "${name}": ${reason}`, [
          "data",
          "headers",
          name,
        ]);
      }
    }
  });
};
