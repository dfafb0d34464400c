/** Public entry of @parley/flow-schema. */
export {};
