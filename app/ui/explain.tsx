import { forbidden, notFound } from "next/navigation";
import { ZodError } from "zod";
import { AppError } from "@/lib/server/http";
import { Notice } from "./notice";

/**
 * Runs a page's loader; known failures become their page, others rethrow. Unknown or invalid users are
 * 404 and private profiles 403 (nothing has streamed yet: no loading.tsx wraps these pages, so the
 * status is still ours to set); the rest show our code and message.
 */
export async function loadOrExplain<T>(
  load: () => Promise<T>,
  { notFoundTitle }: { notFoundTitle?: string } = {},
): Promise<{ data: T } | { page: React.ReactElement }> {
  try {
    return { data: await load() };
  } catch (error) {
    // A name or year that cannot exist (the route's parameters failed validation) has no page either.
    if (error instanceof ZodError) notFound();
    if (!(error instanceof AppError)) throw error;
    // A page about two listeners or years says which one is missing, instead of the generic 404.
    if (notFoundTitle && (error.code === "user_not_found" || error.code === "invalid_input")) {
      return { page: <Notice title={notFoundTitle}>{error.message}</Notice> };
    }
    if (error.code === "user_not_found" || error.code === "invalid_input") notFound();
    if (error.code === "private_profile") forbidden();
    const titles: Record<string, string> = {
      opted_out: "Opted out",
      no_plays: "No plays that year",
      rate_limited: "Too many requests from you",
    };
    return {
      page: (
        <Notice title={titles[error.code] ?? "Last.fm is not answering"}>
          {error.message} <span className="muted">({error.code})</span>
        </Notice>
      ),
    };
  }
}
