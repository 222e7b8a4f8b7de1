"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";

/** The browser's IANA zone, known only after hydration (the server renders UTC links). */
function useBrowserZone(): string | null {
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return zone;
}

export function withZone(href: string, zone: string | null): string {
  return zone && zone !== "UTC" ? `${href}?tz=${encodeURIComponent(zone)}` : href;
}

/** A link to a year in the visitor's own zone: the year they lived runs from their local midnight. */
export function YearLink({ href, children }: { href: string; children: ReactNode }) {
  return <Link href={withZone(href, useBrowserZone())}>{children}</Link>;
}

function listZones(current: string, browser: string | null): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([current, ...(browser ? [browser] : []), "UTC", ...all])];
}

/** Changes the zone of the year shown; the link (`?tz=`) changes with it, so it can be shared. */
export function ZonePicker({ timeZone }: { timeZone: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const browser = useBrowserZone();
  const show = (zone: string) => router.push(`${pathname}?tz=${encodeURIComponent(zone)}`);
  return (
    <p className="zone-picker muted">
      <label>
        Year from midnight to midnight in{" "}
        <select value={timeZone} onChange={(event) => show(event.target.value)} aria-label="Time zone">
          {listZones(timeZone, browser).map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      {browser && browser !== timeZone && (
        <>
          {" "}
          <button type="button" className="secondary" onClick={() => show(browser)}>
            Use my time zone ({browser.replaceAll("_", " ")})
          </button>
        </>
      )}
    </p>
  );
}
