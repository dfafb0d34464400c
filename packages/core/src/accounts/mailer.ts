import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";

/** An e-mail core sends (invitation, password reset). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * The mail port: how core sends e-mails. The apps plug in an adapter (`@parley/infra`'s SMTP or
 * console mailer; a memory mailer in tests).
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** The mailer and the studio URL links point to, or an `unavailable` error naming what is missing. */
export function mailOf(deps: CoreDeps): { mailer: Mailer; studioUrl: string } {
  if (!deps.mailer || !deps.studioUrl) {
    throw new ServiceError(
      "unavailable",
      "mail-not-configured",
      "e-mail is not configured in this process (mailer and studio URL)",
    );
  }
  return { mailer: deps.mailer, studioUrl: deps.studioUrl };
}

/** A link into the studio with a token in its query (invitation, password reset). */
export const studioLink = (studioUrl: string, path: string, token: string): string =>
  new URL(`${path}?token=${encodeURIComponent(token)}`, studioUrl).toString();
