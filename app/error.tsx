"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="panel notice">
      <h1>Something went wrong</h1>
      <p className="muted">It is on our side, not yours. Try again in a moment.</p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </p>
    </section>
  );
}
