import type { ReactNode } from "react";

export const metadata = { title: "Parley Studio" };

/** Root layout of the studio. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
