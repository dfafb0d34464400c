import { randomInt } from "node:crypto";
import { hashToken } from "@parley/infra";

/** How many recovery codes an enrolment (or a regeneration) hands out. */
export const RECOVERY_CODE_COUNT = 10;
/** Letters and digits without look-alikes (no 0/o, 1/l/i). */
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** One recovery code, `xxxxx-xxxxx` (about 49 bits: each is single use, and sign-in is throttled). */
function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 10; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Fresh recovery codes to show once, and the hashes to store. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: codes.map(recoveryCodeHash) };
}

/** The stored form of a code as typed (case, spaces and dashes do not matter). */
export const recoveryCodeHash = (typed: string): string =>
  hashToken(`mfa-recovery:${typed.toLowerCase().replace(/[\s-]/g, "")}`);

/** Whether a typed code looks like a recovery code rather than an app's 6 digits. */
export const looksLikeRecoveryCode = (typed: string): boolean => !/^\d{6}$/.test(typed.replace(/\s/g, ""));
