"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useMe } from "../client/session";

/** Studio home: the bots of the active workspace, or the sign-in page. */
export default function HomePage() {
  const me = useMe();
  const router = useRouter();
  useEffect(() => {
    if (me.data === null) router.replace("/sign-in");
    else if (me.data) router.replace("/bots");
  }, [me.data, router]);
  return <p className="muted pad">Loading…</p>;
}
