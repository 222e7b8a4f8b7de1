// Structured JSON logs (one line per event) for web and worker; secrets are redacted by path and scrubbed
// from every line. Pretty output only for a person at a terminal in development, or with LOG_PRETTY=1.
import pino, { type LoggerOptions } from "pino";
import pretty from "pino-pretty";

const SECRET_PATHS = [
  "api_key",
  "*.api_key",
  "apiKey",
  "*.apiKey",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  "LASTFM_API_KEY",
  "*.LASTFM_API_KEY",
  "ADMIN_PASSWORD",
  "*.ADMIN_PASSWORD",
];

/** Whatever a path-based redaction misses (a URL inside an error message, say) never reaches the output. */
export function scrubSecrets(line: string, secrets: (string | undefined)[] = []): string {
  let scrubbed = line.replace(/(api_key=)[^&"\s\\]+/gi, "$1[redacted]");
  for (const secret of secrets) if (secret && secret.length >= 8) scrubbed = scrubbed.replaceAll(secret, "[redacted]");
  return scrubbed;
}

/** LOG_PRETTY=1 forces pretty output, LOG_PRETTY=0 forbids it; otherwise a TTY outside production gets it. */
export function isPrettyLogging(source: Record<string, string | undefined>, isTty: boolean): boolean {
  if (source.LOG_PRETTY === "1" || source.LOG_PRETTY === "true") return true;
  if (source.LOG_PRETTY === "0" || source.LOG_PRETTY === "false") return false;
  return source.NODE_ENV !== "production" && source.NODE_ENV !== "test" && isTty;
}

function createLogger(): pino.Logger {
  // Read here, not through env(): a logger must exist before (and when) the configuration fails to parse.
  const secrets = [process.env.LASTFM_API_KEY, process.env.ADMIN_PASSWORD];
  const options: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { service: process.env.SERVICE_NAME ?? "web" },
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
  };
  if (isPrettyLogging(process.env, Boolean(process.stdout.isTTY))) {
    return pino(
      options,
      pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }),
    );
  }
  return pino(options);
}

const globalForLog = globalThis as unknown as { log?: pino.Logger };

export const log: pino.Logger = (globalForLog.log ??= createLogger());
