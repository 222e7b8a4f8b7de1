"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { withZone } from "./zone";

const USERNAME = /^[A-Za-z][A-Za-z0-9_-]{1,14}$/;

/** Validates as the server does, so a typo is caught before a round trip. */
export function UsernameForm({ years, defaultYear }: { years: number[]; defaultYear: number }) {
  const router = useRouter();
  const [error, setError] = useState("");
  const [isBusy, setBusy] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const username = String(data.get("username") ?? "").trim();
    const year = String(data.get("year") ?? defaultYear);
    if (!USERNAME.test(username)) {
      setError("Last.fm usernames are 2–15 characters: a letter, then letters, digits, _ or -.");
      return;
    }
    setError("");
    setBusy(true);
    // "My year" runs from my own midnight: the browser's zone goes into the link.
    router.push(
      withZone(`/user/${encodeURIComponent(username)}/${year}`, Intl.DateTimeFormat().resolvedOptions().timeZone),
    );
  }

  return (
    <form className="username-form" onSubmit={submit} noValidate aria-describedby="username-error">
      <label className="sr-only" htmlFor="username">
        Last.fm username
      </label>
      <input
        id="username"
        name="username"
        type="text"
        placeholder="Last.fm username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={15}
        aria-invalid={error ? "true" : "false"}
        onChange={() => setError("")}
      />
      <label className="sr-only" htmlFor="year">
        Year
      </label>
      <select id="year" name="year" defaultValue={defaultYear}>
        {years.map((year) => (
          <option key={year} value={year}>
            {year}
          </option>
        ))}
      </select>
      <button type="submit" disabled={isBusy}>
        {isBusy ? "Opening…" : "Show my year"}
      </button>
      <p id="username-error" className="form-error" role="alert" style={{ flexBasis: "100%" }}>
        {error}
      </p>
    </form>
  );
}
