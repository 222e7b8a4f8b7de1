import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { env } from "@/lib/server/env";
import "./globals.css";

export const dynamic = "force-dynamic";

// A function, not a constant: the public URL is configuration, read at request time, not at build time.
export function generateMetadata(): Metadata {
  const { PUBLIC_URL, PORT } = env();
  return {
    metadataBase: new URL(PUBLIC_URL ?? `http://localhost:${PORT}`),
    title: { default: "LastYear.fm – what era was your music from?", template: "%s · LastYear.fm" },
    description: "Enter a Last.fm username and a year: see when the music you listened to was first released.",
    icons: { icon: "/favicon.svg" },
  };
}

export const viewport: Viewport = { themeColor: "#0f1115", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  const isDemo = env().DEMO_MODE;
  return (
    <html lang="en">
      <body>
        {isDemo && (
          <div className="demo-banner" role="note">
            Demo mode: data comes from the bundled Last.fm and MusicBrainz simulators, not the real services.
          </div>
        )}
        <header className="site-header">
          <nav>
            <Link href="/" className="brand">
              LastYear<span>.fm</span>
            </Link>
            <Link href="/account" className="nav-link">
              Your data
            </Link>
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">
          Scrobbles from Last.fm, original release years from MusicBrainz. A remaster counts as the year the album first
          came out.
        </footer>
      </body>
    </html>
  );
}
