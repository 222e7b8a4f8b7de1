import { notFound } from "next/navigation";
import { AppError } from "@/lib/server/http";
import { Notice } from "./notice";

/** Runs a page's loader; known failures become their page (404, private, Last.fm down), others rethrow. */
export async function loadOrExplain<T>(
  load: () => Promise<T>,
  { notFoundTitle }: { notFoundTitle?: string } = {},
): Promise<{ data: T } | { page: React.ReactElement }> {
  try {
    return { data: await load() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A page about two listeners or years says which one is missing, instead of the generic 404.
    if (notFoundTitle && (error.code === "user_not_found" || error.code === "invalid_input")) {
      return { page: <Notice title={notFoundTitle}>{error.message}</Notice> };
    }
    if (error.code === "user_not_found" || error.code === "invalid_input") notFound();
    if (error.code === "private_profile") {
      return {
        page: (
          <Notice title="This profile is private">
            This Last.fm user hides their recent listening, so nobody can chart it. If it is yours, turn off “Hide
            recent listening information” in your Last.fm privacy settings and come back.
          </Notice>
        ),
      };
    }
    if (error.code === "opted_out") return { page: <Notice title="Opted out">{error.message}</Notice> };
    if (error.code === "no_plays") return { page: <Notice title="No plays that year">{error.message}</Notice> };
    if (error.code === "rate_limited") return { page: <Notice title="Too many new imports">{error.message}</Notice> };
    return { page: <Notice title="Last.fm is not answering">{error.message}</Notice> };
  }
}
