/**
 * Session priority on the embedded server: how a client connection asks to be served first.
 *
 * PGlite is one backend session that the socket server hands to one connection at a time, between
 * transactions (see SessionScheduler). A connection whose `application_name` ends with
 * {@link PRIORITY_APPLICATION_SUFFIX} gets the session before connections that queued earlier,
 * whenever it is free: its statement waits for the transaction that runs, not for every one queued.
 * The runtime's ingest pool asks for it, so the one insert a channel webhook makes before its 200
 * does not queue behind the turns of earlier messages. Only for short, one-message transactions
 * whose latency someone waits on: what a priority connection sends delays everyone else.
 *
 * The marker is part of the name on purpose: it travels in the startup packet every driver sends,
 * and a real Postgres merely shows it in `pg_stat_activity`.
 */
export const PRIORITY_APPLICATION_SUFFIX = " [priority]";

/** `name` marked for priority (see {@link PRIORITY_APPLICATION_SUFFIX}). */
export function priorityApplicationName(name: string): string {
  return isPriorityApplication(name) ? name : `${name}${PRIORITY_APPLICATION_SUFFIX}`;
}

/** Whether a connection with this `application_name` is served first. */
export function isPriorityApplication(name: string | undefined): boolean {
  return name?.endsWith(PRIORITY_APPLICATION_SUFFIX) ?? false;
}
