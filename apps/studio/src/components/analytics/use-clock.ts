"use client";

import { useEffect, useState } from "react";

/**
 * The time, re-read every `everyMs`: a page whose date range ends "now" re-renders with it, so the
 * range keeps up with the clock even when nothing else changes (live counters refetch the same key).
 *
 * @example
 * const now = useClock(30_000);
 * const { current } = rangesOf(preset, now);
 */
export function useClock(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
