import type { NextConfig } from "next";

/** Studio build config: workspace packages ship TypeScript source, so Next transpiles them. */
const nextConfig: NextConfig = {
  transpilePackages: ["@parley/flow-schema", "@parley/engine", "@parley/db", "@parley/infra"],
  serverExternalPackages: ["@node-rs/argon2", "@prisma/client", "pg", "@electric-sql/pglite"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
