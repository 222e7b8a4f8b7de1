"use client";

import { useRef, useState } from "react";
import type { Me } from "@/lib/account/me";

async function send(method: "PATCH" | "DELETE", url: string, body?: object) {
  const response = await fetch(url, {
    method,
    headers: body ? { "Content-Type": "application/json" } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(json?.error?.message ?? `Request failed (HTTP ${response.status})`);
  return json;
}

function storedText(me: Me): string {
  const { years, scrobbles } = me.stored;
  if (years === 0 && scrobbles === 0) return "Nothing is stored about your listening.";
  return `Stored about you: ${years.toLocaleString("en")} ${years === 1 ? "year" : "years"}, ${scrobbles.toLocaleString("en")} scrobbles.`;
}

/** The three things a listener can do about their data, plus signing out. */
export function AccountPanel({ initial }: { initial: Me }) {
  const [me, setMe] = useState(initial);
  const [message, setMessage] = useState("");
  const [isBusy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    try {
      setMessage(await action());
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const choose = (changes: Partial<Pick<Me, "isHidden" | "isOptedOut">>, done: string) =>
    run(async () => {
      setMe(await send("PATCH", "/api/me", changes));
      return done;
    });

  const erase = () =>
    run(async () => {
      dialog.current?.close();
      const { deleted } = await send("DELETE", "/api/me/data");
      setMe((current) => ({ ...current, stored: { years: 0, scrobbles: 0 } }));
      return `Deleted ${deleted.years} ${deleted.years === 1 ? "year" : "years"} and ${deleted.scrobbles.toLocaleString("en")} scrobbles.`;
    });

  return (
    <div className="account">
      <p className="panel" data-testid="stored">
        {storedText(me)}
      </p>
      <p className="muted" role="status" aria-live="polite">
        {message}
      </p>

      <section className="panel">
        <h2>Recently charted</h2>
        <p className="muted">
          {me.isHidden
            ? "You are hidden: your name is never listed on the home page."
            : "Your finished years may be listed on the home page."}
        </p>
        {me.isHidden ? (
          <button
            type="button"
            className="secondary"
            disabled={isBusy}
            onClick={() => choose({ isHidden: false }, "You may be listed again.")}
          >
            Show me in Recently charted
          </button>
        ) : (
          <button
            type="button"
            disabled={isBusy}
            onClick={() => choose({ isHidden: true }, "You are now hidden from Recently charted.")}
          >
            Hide me from Recently charted
          </button>
        )}
      </section>

      <section className="panel">
        <h2>Delete your data</h2>
        <p className="muted">
          Removes your scrobbles, every imported year with its chart, and the cached copy of your profile. Your choices
          on this page are kept, so an opt-out still holds.
        </p>
        <button type="button" className="danger" disabled={isBusy} onClick={() => dialog.current?.showModal()}>
          Delete everything
        </button>
        <dialog ref={dialog} className="panel" aria-labelledby="delete-title">
          <h2 id="delete-title" style={{ marginTop: 0 }}>
            Delete everything stored about you?
          </h2>
          <p className="muted">{storedText(me)} This cannot be undone (you can import again later).</p>
          <div style={{ display: "flex", gap: 10, flexWrap: "wrap" }}>
            <button type="button" className="danger" onClick={erase}>
              Yes, delete it all
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </dialog>
      </section>

      <section className="panel">
        <h2>Opt out</h2>
        <p className="muted">
          {me.isOptedOut
            ? "You have opted out: nobody can import or view your listening here, and pages for your name say so."
            : "Opted out, your name is never imported again (by anyone) until you opt back in, and pages for it say you opted out."}
        </p>
        {me.isOptedOut ? (
          <button
            type="button"
            disabled={isBusy}
            onClick={() => choose({ isOptedOut: false }, "You have opted back in.")}
          >
            Opt back in
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={isBusy}
            onClick={() => choose({ isOptedOut: true }, "You have opted out.")}
          >
            Opt out
          </button>
        )}
      </section>

      <form method="post" action="/auth/logout">
        <button type="submit" className="secondary">
          Sign out
        </button>
      </form>
    </div>
  );
}
