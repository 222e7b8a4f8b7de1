import type { Metadata } from "next";
import { cookies } from "next/headers";
import { sessionFromCookie } from "@/lib/account/current";
import { isSignInConfigured, SIGN_IN_FAILURES, type SignInFailure } from "@/lib/account/lastfm-auth";
import { getMe } from "@/lib/account/me";
import { SESSION_COOKIE } from "@/lib/account/session";
import { AccountPanel } from "@/app/ui/account-panel";

export const metadata: Metadata = { title: "Your data", robots: { index: false } };

type Props = { searchParams: Promise<{ error?: string }> };

export default async function AccountPage({ searchParams }: Props) {
  const { error } = await searchParams;
  const failure = error && error in SIGN_IN_FAILURES ? SIGN_IN_FAILURES[error as SignInFailure] : null;
  const session = sessionFromCookie((await cookies()).get(SESSION_COOKIE)?.value);
  if (session) {
    const me = await getMe(session.name);
    return (
      <>
        <h1>Signed in as {me.username}</h1>
        <p className="lead">
          Last.fm told us this is you. Here you decide what LastYear.fm keeps and shows about your listening.
        </p>
        <AccountPanel initial={me} />
      </>
    );
  }
  return (
    <>
      <h1>Your data</h1>
      <p className="lead">
        Sign in with Last.fm to prove a username is yours. Then you can delete everything stored about you, hide
        yourself from &ldquo;Recently charted&rdquo;, or opt out so your name is not imported again until you opt back
        in. There is no account: only a signed cookie holding your Last.fm name.
      </p>
      {failure && (
        <p className="panel form-error" role="alert">
          {failure}
        </p>
      )}
      {isSignInConfigured() ? (
        <p>
          <a className="button" href="/auth/login">
            Sign in with Last.fm
          </a>
        </p>
      ) : (
        <p className="panel muted">Sign-in is not configured on this server (LASTFM_API_SECRET is not set).</p>
      )}
    </>
  );
}
