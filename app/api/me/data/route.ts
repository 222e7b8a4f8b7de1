import { assertSameOrigin, requireSession } from "@/lib/account/current";
import { eraseListener } from "@/lib/account/erase";
import { otherMethods, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

// DELETE /api/me/data – deletes everything stored about the signed-in listener (409 while an import runs)
export const DELETE = route(async (request) => {
  assertSameOrigin(request);
  const { name } = requireSession(request);
  return Response.json({ deleted: await eraseListener(name) });
});

// GET, POST, PUT, PATCH – 405 in the JSON error shape
export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
