// The catalog knows an artist credit only as one string; MusicBrainz stores the artists
// behind it. Mirror and simulator both derive them here, so their artist MBIDs agree.
import { createHash } from "node:crypto";
import { buildCatalog } from "@/scripts/simulators/catalog";

export type Artist = { gid: string; name: string; sortName: string; comment: string };
export type CreditName = { name: string; joinPhrase: string; artist: Artist };

// Real artists whose MBIDs appear in the saved ws/2 fixtures.
const KNOWN_ARTISTS: Record<string, Omit<Artist, "name">> = {
  Portishead: { gid: "8f6bd1e4-fbe1-4f50-aa9b-94c450ec0f11", sortName: "Portishead", comment: "" },
  "50 Cent": { gid: "8e68819d-71be-4e7d-b41d-f1df81b01d3f", sortName: "50 Cent", comment: "" },
  "DJ Drama": {
    gid: "de23d637-20df-4b15-ae63-263dd5a34f10",
    sortName: "Drama, DJ",
    comment: "US rap mixtape DJ Tyree Cinque Simmons",
  },
  "Hot Chocolate": {
    gid: "a749130e-c2d8-4a7c-b740-908ea4574961",
    sortName: "Hot Chocolate",
    comment: "70s and 80s British soul band",
  },
  Damage: {
    gid: "a2b9f1ba-dfc5-421e-a03b-1571c09ffbc6",
    sortName: "Damage",
    comment: "UK R&B/garage boy band, many dance remixes cross-genre",
  },
  "Fleetwood Mac": { gid: "bd13909f-1c29-4c27-a874-d4aaf27c5b1a", sortName: "Fleetwood Mac", comment: "" },
  "Various Artists": {
    gid: "89ad4ac3-39f7-470e-963a-56509c546377",
    sortName: "Various Artists",
    comment: "add compilations to this artist",
  },
  "Fred Giannelli": {
    gid: "a8fa58d8-f60b-4b83-be7c-aea1af11596b",
    sortName: "Giannelli, Fred",
    comment: "US electronic artist",
  },
};

/** Credited names that MusicBrainz files under a differently named artist (albums.csv cases);
 *  the mirror also stores each as an alias of that artist, as fuzzy matching will need. */
export const CREDITED_AS: Record<string, string> = {
  "Godspeed You Black Emperor!": "Godspeed You! Black Emperor",
  "Lilas Ikuta": "幾田りら",
};

let realCredits: Set<string> | undefined;

// Only albums.csv credits are collaborations; a generated "Velvet & the Echos 12" is one band.
function isRealCredit(credit: string): boolean {
  if (!realCredits) {
    const real = buildCatalog(0, 0);
    realCredits = new Set(
      [...real.releases.values(), ...real.releaseGroups.values()].map((entity) => entity.artistCredit),
    );
  }
  return realCredits.has(credit);
}

export function artistNamed(credited: string): Artist {
  const name = CREDITED_AS[credited] ?? credited;
  const known = KNOWN_ARTISTS[name];
  return {
    name,
    gid: known?.gid ?? nameUuid("artist", name),
    sortName: known?.sortName ?? name,
    comment: known?.comment ?? "",
  };
}

/** "Jörgen Gustafsson, Eva Österberg & Andy Cowle" → three names with ", " and " & " as join phrases. */
export function creditNames(credit: string): CreditName[] {
  const parts = isRealCredit(credit) ? credit.split(/(, | & )/) : [credit];
  const names: CreditName[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    names.push({ name: parts[i], joinPhrase: parts[i + 1] ?? "", artist: artistNamed(parts[i]) });
  }
  return names;
}

export const artistCreditGid = (credit: string) => nameUuid("artist-credit", credit);

// catalog.ts's deterministicUuid draws from 2^32 values, so ~800k generated credits would
// collide; a name-based (v5-style) UUID from SHA-1 does not.
function nameUuid(kind: string, name: string): string {
  const hex = createHash("sha1").update(`${kind}\0${name}`).digest("hex").slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
