/** Where an account request came from, for the audit log (never a cookie or token). */
export interface RequestFacts {
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** The audit-relevant facts of a request, and nothing else of it. */
export const requestFactsOf = (request: RequestFacts): RequestFacts => ({
  ipAddress: request.ipAddress,
  userAgent: request.userAgent,
});
