/** Public entry of @parley/infra. */
export {};
