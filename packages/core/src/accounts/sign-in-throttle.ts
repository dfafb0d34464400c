import {
  type AttemptBackoff,
  type AttemptBackoffOptions,
  hashToken,
  type Infrastructure,
} from "@parley/infra";
import { ServiceError } from "../errors";

/**
 * Sign-in attempts per account (the e-mail typed, whether or not it has an account, so refusals
 * tell nothing): 5 free, then waits of 1 s, 2 s, 4 s ... up to 15 minutes; remembered a day.
 */
export const SIGN_IN_ACCOUNT_BACKOFF: AttemptBackoffOptions = {
  name: "sign-in-account",
  freeAttempts: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  lifetimeSeconds: 24 * 60 * 60,
};

/**
 * Sign-in attempts per client address: more free attempts (an office behind one address), the
 * same doubling waits. Successful sign-ins do not count.
 */
export const SIGN_IN_ADDRESS_BACKOFF: AttemptBackoffOptions = {
  name: "sign-in-address",
  freeAttempts: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  lifetimeSeconds: 24 * 60 * 60,
};

/** One set of counters per process infrastructure (in-process counters live in the instances). */
const backoffs = new WeakMap<Infrastructure, { account: AttemptBackoff; address: AttemptBackoff }>();

function backoffsOf(infra: Infrastructure) {
  let found = backoffs.get(infra);
  if (!found) {
    found = {
      account: infra.attemptBackoff(SIGN_IN_ACCOUNT_BACKOFF),
      address: infra.attemptBackoff(SIGN_IN_ADDRESS_BACKOFF),
    };
    backoffs.set(infra, found);
  }
  return found;
}

/** The error of a throttled sign-in, with the wait in its message and `retryAfterSeconds`. */
export const signInThrottled = (retryAfterSeconds: number): ServiceError =>
  new ServiceError(
    "rate_limited",
    "sign-in-throttled",
    `Too many sign-in attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`,
    { retryAfterSeconds },
  );

/** A claimed sign-in attempt: say how it ended. */
export interface SignInAttempt {
  /** Signed in: the account's failures are forgotten, the address's attempt given back. */
  succeeded(): Promise<void>;
  /**
   * The password was right but a second factor is still due: the address's attempt is given back,
   * the account's stays counted until the code is right ({@link forgetSignInFailures}), so each
   * challenge (5 guesses) costs an attempt and code guessing backs off like password guessing.
   */
  passwordAccepted(): Promise<void>;
}

/** Forgets the sign-in failures of `email` (after a completed two-step sign-in). */
export async function forgetSignInFailures(infra: Infrastructure, email: string): Promise<void> {
  await backoffsOf(infra).account.reset(hashToken(email.toLowerCase()));
}

/**
 * Claims a sign-in attempt for `email` from `ipAddress` (null: unknown, only the account counts)
 * before any password is checked, so a throttled attempt costs no argon2 work.
 * @throws ServiceError `sign-in-throttled` (rate_limited)
 */
export async function claimSignInAttempt(
  infra: Infrastructure,
  email: string,
  ipAddress: string | null,
): Promise<SignInAttempt> {
  const { account, address } = backoffsOf(infra);
  // Keys are hashes: the store never holds the addresses typed.
  const accountKey = hashToken(email.toLowerCase());
  const addressKey = ipAddress ? hashToken(ipAddress) : null;
  const byAddress = addressKey ? await address.attempt(addressKey) : null;
  if (byAddress && !byAddress.allowed) throw signInThrottled(byAddress.retryAfterSeconds);
  const byAccount = await account.attempt(accountKey);
  if (!byAccount.allowed) {
    // Refused for the account: the address is not charged for an attempt that did not happen.
    await byAddress?.refund();
    throw signInThrottled(byAccount.retryAfterSeconds);
  }
  return {
    async succeeded() {
      await account.reset(accountKey);
      await byAddress?.refund();
    },
    async passwordAccepted() {
      await byAddress?.refund();
    },
  };
}
