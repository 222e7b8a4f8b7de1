// Limits the test app runs with, shared by tests/support/serve-app.ts and the specs that exercise them.

/**
 * New imports per client IP and window. Specs without an x-forwarded-for header all share one IP
 * (127.0.0.1) and start 5 new imports between them, so this leaves them room.
 */
export const TEST_IMPORT_RATE_LIMIT = 8;

/** New names per client IP and window: specs without x-forwarded-for share 127.0.0.1's allowance. */
export const TEST_LOOKUP_RATE_LIMIT = 60;

/** New names per minute from all IPs: high enough that only the per-IP limit answers in the specs. */
export const TEST_LOOKUP_DEPLOYMENT_LIMIT = 10_000;

/** Admin credentials of the test app (a throwaway value, not a secret). */
export const TEST_ADMIN = { username: "admin", password: "test-admin-pw" };
