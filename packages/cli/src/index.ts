/** Public entry of @parley/cli. */
export {};
