import type { NextConfig } from 'next';

// Content Security Policy. Next.js hydration uses inline scripts, so script-src needs
// 'unsafe-inline' without a per-request nonce; everything else is same-origin only, the app
// cannot be framed (clickjacking) and forms can only post to us.
const isDev = process.env.NODE_ENV === 'development';
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const nextConfig: NextConfig = {
  // Native DuckDB bindings must be loaded by Node at run time, not bundled.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings'],
  poweredByHeader: false,
  // The build type-checks the application only (tsconfig.app.json: app, lib, db, worker);
  // tests, benches and scripts are checked by `npm run typecheck` over the whole tree. The
  // browser tests build with WORKBENCH_SKIP_BUILD_TYPECHECK=1: they test behaviour, and type
  // errors are `npm run typecheck`'s to report, not a reason to skip every browser test.
  typescript: { tsconfigPath: 'tsconfig.app.json', ignoreBuildErrors: process.env.WORKBENCH_SKIP_BUILD_TYPECHECK === '1' },
  // No proxy.ts (middleware) in this app on purpose: with a proxy, Next.js clones and buffers
  // request bodies, which would defeat streaming uploads. Auth is checked in each route/page.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
