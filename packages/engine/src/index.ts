/** Public entry of @parley/engine. */
export { compile } from "./compile/compile";
export { runTurn } from "./interpret/run-turn";
