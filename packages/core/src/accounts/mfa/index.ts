/** Multi-factor sign-in: TOTP authenticator apps and one-time recovery codes. */
export {
  completeMfaChallenge,
  issueMfaChallenge,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MFA_CHALLENGE_TTL_MS,
} from "./challenge";
export {
  confirmMfaEnrolment,
  disableMfa,
  type MfaEnrolment,
  type MfaStatus,
  mfaStatus,
  regenerateRecoveryCodes,
  startMfaEnrolment,
} from "./enrolment";
export { RECOVERY_CODE_COUNT } from "./recovery-codes";
export {
  assertMfaSatisfied,
  mfaEnrolmentRequired,
  setWorkspaceMfaRequirement,
  workspaceMfaSetting,
} from "./require-mfa";
export { TOTP_PERIOD_SECONDS } from "./totp";
