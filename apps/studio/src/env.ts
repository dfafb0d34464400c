import { coreEnvShape, parseEnv, postgresUrlField } from "@parley/config";
import { z } from "zod";

/**
 * The studio's environment, validated once. `parley start` passes DATABASE_URL (the embedded
 * PGlite server's URL or real Postgres), PARLEY_SECRET_KEY, PARLEY_DATA_DIR and PARLEY_RUNTIME_URL.
 */
export const studioEnvSchema = z.object({
  ...coreEnvShape,
  DATABASE_URL: postgresUrlField,
  /** Where the runtime (REST API, widget script) answers; used in embed snippets. */
  PARLEY_RUNTIME_URL: z.url().default("http://localhost:4000"),
  /** The studio's own public URL, for links in e-mails (password reset, invitations). */
  PARLEY_STUDIO_URL: z.url().default("http://localhost:3000"),
  /** smtp:// or smtps:// URL; unset means e-mails are printed on the console. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** Sender of studio e-mails. */
  MAIL_FROM: z.string().default("Parley <no-reply@parley.local>"),
  /** Directory of the starter templates (default: the repository's examples/flows). */
  PARLEY_TEMPLATES_DIR: z.string().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

/** The studio's validated environment. */
export type StudioEnv = z.infer<typeof studioEnvSchema>;

let cached: StudioEnv | undefined;

/** Parses `process.env` on first use; a bad variable stops the studio with a message naming it. */
export function studioEnv(): StudioEnv {
  cached ??= parseEnv(studioEnvSchema, process.env);
  return cached;
}
