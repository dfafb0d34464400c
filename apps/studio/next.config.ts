import type { NextConfig } from "next";
import { studioSecurityHeaders } from "./src/server/http/security-headers";

/** Studio build config: workspace packages ship TypeScript source, so Next transpiles them. */
const nextConfig: NextConfig = {
  transpilePackages: [
    "@parley/flow-schema",
    "@parley/engine",
    "@parley/db",
    "@parley/infra",
    "@parley/core",
    "@parley/config",
    "@parley/contract",
    "@parley/models",
  ],
  serverExternalPackages: [
    "@node-rs/argon2",
    "@prisma/client",
    "pg",
    "@electric-sql/pglite",
    "bullmq",
    "ioredis",
    "nodemailer",
    // @parley/models' provider clients and PDF reader: plain Node packages, loaded at run time.
    "openai",
    "@anthropic-ai/sdk",
    "@google/genai",
    "@huggingface/inference",
    "unpdf",
  ],
  // `next dev` serves its scripts and HMR socket only to pages opened as `localhost`; a studio opened as
  // http://127.0.0.1:3000 then never hydrates and stays on "Loading…". Loopback addresses are the same machine.
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  poweredByHeader: false,
  // Every response, pages, API routes, static files and errors alike.
  async headers() {
    const mode = process.env.NODE_ENV === "development" ? "development" : "production";
    return [{ source: "/:path*", headers: studioSecurityHeaders(mode) }];
  },
  reactStrictMode: true,
  // `npm run typecheck` (tsc -p apps/studio) checks types; the build does not repeat it (2 cores).
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
