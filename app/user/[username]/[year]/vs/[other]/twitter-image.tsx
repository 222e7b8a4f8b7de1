// The Twitter/X card is the Open Graph card.
export const runtime = "nodejs";
export { alt, contentType, default, size } from "./opengraph-image";
