// Structured JSON logs (one line per event) for web and worker; secrets are redacted by path.
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: process.env.SERVICE_NAME ?? "web" },
  redact: {
    paths: ["api_key", "*.api_key", "apiKey", "*.apiKey", "password", "*.password", "authorization", "*.authorization"],
    censor: "[redacted]",
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});
