import { InfraError } from "../internal/infra-error";

/** Why the vault refused: stable codes for programs, messages that never contain secrets. */
export type VaultErrorCode =
  | "MALFORMED_KEY"
  | "UNKNOWN_KEY_ID"
  | "MALFORMED_CIPHERTEXT"
  | "DECRYPTION_FAILED"
  | "INVALID_INPUT";

/**
 * Thrown by the secrets vault and keyring parsing. Messages name the variable, file, entry or key
 * id involved, never key material or plaintext.
 */
export class VaultError extends InfraError {
  declare readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(code, message);
  }
}
