import type { ReactNode } from "react";
import { Providers } from "../client/trpc";
import "./globals.css";

export const metadata = { title: "Parley Studio" };

/** Root layout of the studio: query cache and tRPC client for every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
