import "@radix-ui/themes/styles.css";
import { Theme } from "@radix-ui/themes";
import type { ReactNode } from "react";
import { Providers } from "../client/trpc";
import { APPEARANCE_SCRIPT } from "../components/ui/appearance-script";
import { Toaster } from "../components/ui/toast";
import "../components/ui/ui.css";
import "./globals.css";

export const metadata = { title: "Parley Studio" };

/**
 * Root layout of the studio: Radix Themes (light or dark from the `<html>` class the head script sets
 * before the first paint), the toast region, and the query cache and tRPC client for every page.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The head script sets the appearance class before React hydrates: the attribute differs on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, run before paint. */}
        <script dangerouslySetInnerHTML={{ __html: APPEARANCE_SCRIPT }} />
      </head>
      <body>
        <Theme accentColor="indigo" grayColor="slate" radius="medium" scaling="95%">
          <Providers>{children}</Providers>
          <Toaster />
        </Theme>
      </body>
    </html>
  );
}
