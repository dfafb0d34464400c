"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  httpLink,
  splitLink,
  TRPCClientError,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import type { AppRouter } from "../server/routers/app";

/** tRPC hooks bound to the studio's API: `const trpc = useTRPC(); useQuery(trpc.bots.list.queryOptions())`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * The session's CSRF token, sent with every call (the server checks it on mutations). Set from the
 * `auth.me` answer; it is in page memory only, never in a cookie a cross-site request would carry.
 */
let csrfToken: string | null = null;

/** Remembers the CSRF token the `me` query returned. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The header a mutation needs besides the session cookie (for calls made outside the tRPC client). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { "x-csrf-token": csrfToken } : {};
}

/** The message and stable service code of a failed call, for forms and banners. */
export function describeError(error: unknown): {
  message: string;
  code: string | null;
  serviceCode: string | null;
} {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; serviceCode?: string | null } | undefined;
    return { message: error.message, code: data?.code ?? null, serviceCode: data?.serviceCode ?? null };
  }
  return { message: error instanceof Error ? error.message : String(error), code: null, serviceCode: null };
}

/** Procedures whose answer is an async iterable, read through the streaming link. */
const STREAMED_PATHS: ReadonlySet<string> = new Set(["flows.testTurn"]);

/** Query cache and tRPC client for the whole studio. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            retry: (count, error) =>
              count < 2 && !(error instanceof TRPCClientError && error.data?.httpStatus < 500),
            refetchOnWindowFocus: false,
          },
        },
      }),
  );
  const [trpcClient] = useState(() => {
    const headers = () => (csrfToken ? { "x-csrf-token": csrfToken } : {});
    return createTRPCClient<AppRouter>({
      links: [
        // Procedures that stream their answer (the test chat's turn events) read it as it comes;
        // everything else is batched plainly (so responses, and cookies, are complete at once).
        // Knowledge uploads go alone (the server allows a larger body only for a lone upload).
        splitLink({
          condition: (op) => STREAMED_PATHS.has(op.path),
          true: httpBatchStreamLink({ url: "/api/trpc", maxURLLength: 4_000, maxItems: 1, headers }),
          false: splitLink({
            condition: (op) => op.path === "knowledge.upload",
            true: httpLink({ url: "/api/trpc", headers }),
            false: httpBatchLink({ url: "/api/trpc", maxURLLength: 4_000, headers }),
          }),
        }),
      ],
    });
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
