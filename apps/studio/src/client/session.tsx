"use client";

import { type QueryClient, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import type { Permission } from "../server/access";
import { setCsrfToken, useTRPC } from "./trpc";

/** Who is signed in (undefined while loading, null when signed out). */
export function useMe() {
  const trpc = useTRPC();
  const query = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  if (query.data !== undefined) setCsrfToken(query.data?.csrfToken ?? null);
  return query;
}

/** Whether the signed-in member's role in the active workspace grants `permission` (to hide what they cannot do). */
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data?.activeTenant?.permissions.includes(permission) ?? false;
}

/**
 * Forgets every cached answer after the session changed (sign-in, sign-up, reset, invitation,
 * workspace switch): a cached "signed out" (or another workspace's lists) must never be shown, or
 * acted upon, while the fresh answer loads.
 */
export async function sessionChanged(queryClient: QueryClient): Promise<void> {
  await queryClient.resetQueries();
}

/**
 * Whether `me` is known to say "signed out": a cached null that is being fetched again (right after
 * signing in) is not, or pages would bounce back to the sign-in page.
 */
export function isSignedOut(me: { data: unknown; isFetching: boolean }): boolean {
  return me.data === null && !me.isFetching;
}

/** Where the studio's server could not be reached (instead of "Loading…" forever). */
export function ServerUnreachable({ error, onRetry }: { error: { message: string }; onRetry: () => void }) {
  return (
    <div className="pad" role="alert">
      <p className="error">The studio cannot reach its server: {error.message}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Renders children only for a signed-in user; sends others to the sign-in page. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const me = useMe();
  const router = useRouter();
  const signedOut = isSignedOut(me);
  useEffect(() => {
    if (signedOut) router.replace(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
  }, [signedOut, router]);
  if (me.error) return <ServerUnreachable error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data)
    return (
      <p className="muted pad" aria-busy="true">
        Loading…
      </p>
    );
  return <>{children}</>;
}
