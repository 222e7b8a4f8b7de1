// Errors as HTTP responses: handlers throw, `route()` maps. Shape: { error: { code, message } }.
import { ZodError } from "zod";
import { AppError, errorResponse } from "./errors";
import { log } from "./log";
import { observeHttpRequest } from "@/lib/ops/metrics";

export { AppError, ERROR_STATUS, type ErrorCode, errorResponse } from "./errors";

/** ioredis' errors when Redis is down or too slow (web connections give up fast: lib/server/redis.ts). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /Command timed out|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(
      error.message,
    )
  );
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.message, error.headers);
  if (error instanceof ZodError) {
    const message = error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ");
    return errorResponse("invalid_input", message);
  }
  if (isUnreachable(error)) {
    log.warn({ err: error }, "a service we depend on is unreachable");
    return errorResponse(
      "service_unavailable",
      "We cannot reach our own services right now. Please try again in a minute.",
      {
        "Retry-After": "30",
      },
    );
  }
  log.error({ err: error }, "unhandled error in a route");
  return errorResponse("internal", "Something went wrong on our side. Please try again.");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * The path as a template (`/api/user/[username]/[year]/events`), so a metric label never holds a
 * username; and the user and year it names, for the log line.
 */
export function describePath(pathname: string): { route: string; username?: string; year?: number } {
  const parts = pathname.split("/");
  if (parts[1] !== "api" || parts[2] !== "user" || !parts[3]) return { route: pathname };
  const year = parts[4] && /^\d{1,4}$/.test(parts[4]) ? Number(parts[4]) : undefined;
  const username = decodeURIComponent(parts[3]).toLowerCase();
  // Comparisons name a second year or listener: a template, never a value, in the label.
  if (parts[4] === "compare")
    return { route: "/api/user/[username]/compare/[year]/[other]", username, year: Number(parts[5]) || undefined };
  if (parts[5] === "vs") return { route: "/api/user/[username]/[year]/vs/[other]", username, year };
  if (parts[4] === "history") return { route: "/api/user/[username]/history", username };
  const templated = ["", "api", "user", "[username]", ...(parts[4] ? ["[year]"] : []), ...parts.slice(5)];
  return { route: templated.join("/"), username, year };
}

/**
 * Wraps a route handler: every thrown error becomes the JSON error shape, and every request gives one
 * log line and one latency observation. The query string and headers are never logged.
 */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    const startedAt = performance.now();
    let response: Response;
    try {
      response = await handler(request, context);
    } catch (error) {
      response = toErrorResponse(error);
    }
    const ms = performance.now() - startedAt;
    const { route: template, username, year } = describePath(new URL(request.url).pathname);
    observeHttpRequest(request.method, template, response.status, ms / 1000);
    log.info(
      { method: request.method, path: template, status: response.status, ms: Math.round(ms), username, year },
      "request",
    );
    return response;
  };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not serve. Next's own 405 has an empty body; these answer in
 * the JSON error shape with `Allow`. Use: `export const { POST, PUT, PATCH, DELETE } = otherMethods("GET")`.
 */
export function otherMethods(...allowed: Method[]): Record<Method, () => Promise<Response>> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler = async () => errorResponse("method_not_allowed", `This address answers ${allow}.`, { Allow: allow });
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, () => Promise<Response>>;
}
