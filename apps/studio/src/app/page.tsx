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
    else if (signedIn) router.replace("/bots");
  }, [signedOut, signedIn, router]);
  if (me.error) return <ServerUnreachable error={me.error} onRetry={() => void me.refetch()} />;
  return (
    <p className="muted pad" data-testid="home-loading">
      Loading…
    </p>
  );
}
