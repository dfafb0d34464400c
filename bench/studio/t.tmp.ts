import { checkFlow } from "@parley/flow-schema";
import { bigFlow } from "./big-flow";
import { buildCanvasNodes } from "../../apps/studio/src/designer/core/canvas-model";
const doc = bigFlow(500);
let t = performance.now(); checkFlow(doc); console.log("check", performance.now() - t);
t = performance.now(); checkFlow(doc); console.log("check2", performance.now() - t);
t = performance.now(); buildCanvasNodes(doc, { problems: [] }); console.log("build", performance.now() - t);
