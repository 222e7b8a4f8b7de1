import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { checkAdmin } from "@/lib/server/admin-auth";
import { QUEUE, queue } from "@/lib/jobs";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/admin/queues";
const globalForBoard = globalThis as unknown as { bullBoard?: Hono };

/** Built once per process: Bull Board over every queue of lib/jobs.ts. */
function board(): Hono {
  if (!globalForBoard.bullBoard) {
    const serverAdapter = new HonoAdapter(serveStatic).setBasePath(BASE_PATH);
    createBullBoard({ queues: Object.values(QUEUE).map((name) => new BullMQAdapter(queue(name))), serverAdapter });
    globalForBoard.bullBoard = new Hono().route(BASE_PATH, serverAdapter.registerPlugin());
  }
  return globalForBoard.bullBoard;
}

// /admin/queues/* – Bull Board, behind HTTP basic auth (404 when ADMIN_USER/ADMIN_PASSWORD are unset)
async function handle(request: Request): Promise<Response> {
  return checkAdmin(request) ?? board().fetch(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
