"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

const USERNAME = /^[A-Za-z][A-Za-z0-9_-]{1,14}$/;

/** From a year's page: the same listener in another year, or a friend in the same year. */
export function CompareForm({ username, year, years }: { username: string; year: number; years: number[] }) {
  const router = useRouter();
  const [error, setError] = useState("");
  const user = encodeURIComponent(username);

  function withYear(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const other = String(new FormData(event.currentTarget).get("other") ?? "");
    router.push(`/user/${user}/compare/${year}/${other}`);
  }

  function withFriend(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const friend = String(new FormData(event.currentTarget).get("friend") ?? "").trim();
    if (!USERNAME.test(friend))
      return setError("Last.fm usernames are 2–15 characters: a letter, then letters, digits, _ or -.");
    router.push(`/user/${user}/${year}/vs/${encodeURIComponent(friend)}`);
  }

  const others = years.filter((candidate) => candidate !== year);
  return (
    <section className="panel" aria-labelledby="compare-title" style={{ marginTop: 18 }}>
      <h2 id="compare-title" style={{ marginTop: 0 }}>
        Compare
      </h2>
      <div style={{ display: "grid", gap: 12 }}>
        {others.length > 0 && (
          <form className="compare-form" onSubmit={withYear}>
            <label htmlFor="compare-year">{year} with</label>
            <select id="compare-year" name="other" defaultValue={others[0]}>
              {others.map((other) => (
                <option key={other} value={other}>
                  {other}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              Compare years
            </button>
          </form>
        )}
        <form className="compare-form" onSubmit={withFriend} noValidate>
          <label htmlFor="compare-friend">{username} with</label>
          <input
            id="compare-friend"
            name="friend"
            type="text"
            placeholder="another listener"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={15}
            onChange={() => setError("")}
          />
          <button type="submit" className="secondary">
            Compare listeners
          </button>
          <p className="form-error" role="alert" style={{ flexBasis: "100%", margin: 0 }}>
            {error}
          </p>
        </form>
      </div>
    </section>
  );
}
