/** Public entry of @parley/engine. */
export {};
