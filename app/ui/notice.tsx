import Link from "next/link";
import type { ReactNode } from "react";

/** A finished-looking page for states that are not errors of ours: unknown user, private profile, … */
export function Notice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel notice">
      <h1>{title}</h1>
      <div className="muted">{children}</div>
      <p style={{ marginTop: 24 }}>
        <Link href="/" className="button secondary">
          Try another username
        </Link>
      </p>
    </section>
  );
}
