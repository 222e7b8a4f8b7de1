import assert from "node:assert/strict";
import { test } from "node:test";

// This process has no ADMIN_USER/ADMIN_PASSWORD (the test app's specs cover 401 and 200 with them).
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/unused";
delete process.env.ADMIN_USER;
delete process.env.ADMIN_PASSWORD;

test("without ADMIN_USER and ADMIN_PASSWORD the admin surfaces do not exist: 404, even with credentials", async () => {
  const { checkAdmin } = await import("./admin-auth");
  const withCredentials: Record<string, string> = {
    authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}`,
  };
  for (const headers of [{}, withCredentials]) {
    const response = checkAdmin(new Request("http://localhost/admin/queues", { headers }));
    assert.equal(response?.status, 404);
    assert.deepEqual(await response?.json(), { error: { code: "not_found", message: "Not found." } });
  }
});
