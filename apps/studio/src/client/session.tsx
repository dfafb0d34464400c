"use client";

import { useQuery } from "@tanstack/react-query";
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

/** Renders children only for a signed-in user; sends others to the sign-in page. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const me = useMe();
  const router = useRouter();
  useEffect(() => {
    if (me.data === null) router.replace(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
  }, [me.data, router]);
  if (me.isLoading) return <p className="muted pad">Loading…</p>;
  if (me.error) return <p className="error pad">The studio cannot reach its server: {me.error.message}</p>;
  if (!me.data) return null;
  return <>{children}</>;
}
