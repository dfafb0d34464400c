/** Public entry of @parley/engine. */
export { compile } from "./compile/compile";
