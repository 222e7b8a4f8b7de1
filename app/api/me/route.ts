import { z } from "zod";
import { saveChoices } from "@/lib/account/choices";
import { assertSameOrigin, requireSession } from "@/lib/account/current";
import { getMe } from "@/lib/account/me";
import { otherMethods, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

const ChoicesSchema = z.strictObject({ isHidden: z.boolean().optional(), isOptedOut: z.boolean().optional() });

// GET /api/me – the signed-in listener: their choices and how much is stored about them (401 when signed out)
export const GET = route(async (request) => {
  const { name } = requireSession(request);
  return Response.json(await getMe(name), { headers: { "Cache-Control": "no-store" } });
});

// PATCH /api/me – change { isHidden?, isOptedOut? }; answers like GET
export const PATCH = route(async (request) => {
  assertSameOrigin(request);
  const { name } = requireSession(request);
  const changes = ChoicesSchema.parse(await request.json().catch(() => null));
  await saveChoices(name, changes);
  return Response.json(await getMe(name), { headers: { "Cache-Control": "no-store" } });
});

// POST, PUT, DELETE – 405 in the JSON error shape
export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
