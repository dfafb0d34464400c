/**
 * Security headers on every studio response (security review, finding 16), applied by next.config.ts.
 *
 * CSP: everything from the studio's own origin. Scripts and styles also allow 'unsafe-inline':
 * the App Router streams its payload in inline `<script>` tags and React renders `style`
 * attributes; nonces would need a proxy (middleware) on every request and force every page to be
 * rendered per request. What matters most here holds either way: no other origin can frame the
 * studio (`frame-ancestors 'none'`, clickjacking), load scripts into it, receive its forms or
 * re-base its URLs, and no plugin content runs. `next dev` additionally needs eval (React Refresh)
 * and its HMR websocket.
 */
export function studioSecurityHeaders(mode: "production" | "development"): { key: string; value: string }[] {
  const dev = mode === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}
