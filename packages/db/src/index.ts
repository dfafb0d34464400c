/** Public entry of @parley/db. */
export {};
