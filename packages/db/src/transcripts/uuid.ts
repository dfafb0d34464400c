const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` looks like a UUID; anything else cannot name a row (internal). */
export const isUuid = (id: string): boolean => UUID.test(id);
