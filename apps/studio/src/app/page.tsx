"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isSignedOut, ServerUnreachable, useMe } from "../client/session";

/** Studio home: the bots of the active workspace, or the sign-in page. */
export default function HomePage() {
  const me = useMe();
  const router = useRouter();
  const signedOut = isSignedOut(me);
  const signedIn = Boolean(me.data);
  useEffect(() => {
    if (signedOut) router.replace("/sign-in");
    // Agents work the inbox only; everyone else starts at the bots.
    else if (signedIn) router.replace(me.data?.activeTenant?.role === "agent" ? "/inbox" : "/bots");
  }, [signedOut, signedIn, router, me.data?.activeTenant?.role]);
  if (me.error) return <ServerUnreachable error={me.error} onRetry={() => void me.refetch()} />;
  return (
    <p className="muted pad" data-testid="home-loading">
      Loading…
    </p>
  );
}
