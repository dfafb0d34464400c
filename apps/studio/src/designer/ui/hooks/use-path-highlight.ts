import { useState } from "react";
import type { TurnHighlight } from "../test-chat";

/**
 * The path a transcript links to (`?highlight=n1,n2,...`: the nodes a conversation visited, in
 * order), as the canvas highlight the test chat also uses: every node of the path marked visited,
 * the last one active. Read once when the designer opens; null without the parameter.
 */
export function pathHighlightFromUrl(search: string): TurnHighlight | null {
  const value = new URLSearchParams(search).get("highlight");
  if (!value) return null;
  const visited = value
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0)
    .slice(0, 500);
  return visited.length ? { activeNodeId: visited.at(-1) ?? null, visited } : null;
}

/** The designer's highlight state, starting from the URL's `?highlight=` path (see above). */
export function usePathHighlight() {
  return useState<TurnHighlight | null>(() =>
    typeof window === "undefined" ? null : pathHighlightFromUrl(window.location.search),
  );
}
