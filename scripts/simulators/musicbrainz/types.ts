// MusicBrainz's fixed lookup rows, shared by the mirror (ids) and the ws/2 simulator (gids).
// Ids are the production ones listed in MUSICBRAINZ.md §2; gids are the ones real ws/2 JSON carries.

export type TypeRow = { id: number; name: string; gid: string };

export const PRIMARY_TYPES: TypeRow[] = [
  { id: 1, name: "Album", gid: "f529b476-6e62-324f-b0aa-1f3e33d313fc" },
  { id: 2, name: "Single", gid: "d6038452-8ee0-3f68-affc-2de9a1ede0b9" },
  { id: 3, name: "EP", gid: "6d0c5bf6-7a33-3420-a519-44fc63eedebf" },
  { id: 11, name: "Other", gid: "4fc3be2b-de1e-396b-a933-beb8f1607a22" },
  { id: 12, name: "Broadcast", gid: "3b2e49e1-2875-37b8-9fa9-1f7cf3f49900" },
];

export const SECONDARY_TYPES: TypeRow[] = [
  { id: 1, name: "Compilation", gid: "dd2a21e1-0c00-3729-a7a0-de60b84eb5d1" },
  { id: 2, name: "Soundtrack", gid: "22a628ad-c082-3c4f-b1b6-d41665107b88" },
  { id: 3, name: "Spokenword", gid: "66b8a13e-43ff-3ac0-ac6c-73659d3817c6" },
  { id: 4, name: "Interview", gid: "12af3f5e-ce2a-3941-8b93-d482884031e5" },
  { id: 5, name: "Audiobook", gid: "499a387e-6195-333e-91c0-9592bfec535e" },
  { id: 6, name: "Live", gid: "6fd474e2-6b58-3102-9d17-d6f7eb7da0a0" },
  { id: 7, name: "Remix", gid: "0c60f497-ff81-3818-befd-abfc84a4858b" },
  { id: 8, name: "DJ-mix", gid: "0d47f47a-3fe5-3d69-ac9d-d566c23968bf" },
  { id: 9, name: "Mixtape/Street", gid: "15c1b1f5-d893-3375-a1db-e180c5ae15ed" },
  { id: 10, name: "Demo", gid: "81598169-0d6c-3bce-b4be-866fa658eda3" },
];

export const RELEASE_STATUSES: TypeRow[] = [
  { id: 1, name: "Official", gid: "4e304316-386d-3409-af2e-78857eec5cfe" },
  { id: 2, name: "Promotion", gid: "518ffc83-5cde-34df-8627-81bff5093d92" },
  { id: 3, name: "Bootleg", gid: "1156806e-d06a-38bd-83f0-cf2284a808b9" },
  { id: 4, name: "Pseudo-Release", gid: "41121bb9-3413-3818-8a9a-9742318349aa" },
  { id: 5, name: "Withdrawn", gid: "6a3772de-4605-4132-993d-aa315cd19b4b" },
  { id: 6, name: "Cancelled", gid: "55005350-bc3f-441a-b0c7-27c565eae341" },
];

const byName = (rows: TypeRow[]) => new Map(rows.map((row) => [row.name, row]));
const primaryByName = byName(PRIMARY_TYPES);
const secondaryByName = byName(SECONDARY_TYPES);
const statusByName = byName(RELEASE_STATUSES);

// A catalog name the tables lack is a catalog bug, not data to drop silently.
function pick(rows: Map<string, TypeRow>, kind: string, name: string): TypeRow {
  const row = rows.get(name);
  if (!row) throw new Error(`unknown ${kind} "${name}"`);
  return row;
}

export const primaryType = (name: string) => pick(primaryByName, "primary type", name);
export const secondaryType = (name: string) => pick(secondaryByName, "secondary type", name);
export const releaseStatus = (name: string) => pick(statusByName, "release status", name);

/** "1994-08-22" | "2000-09" | "1999" | null → the three meta columns. */
export function splitDate(date: string | null): [number | null, number | null, number | null] {
  if (!date) return [null, null, null];
  const [year, month, day] = date.split("-").map((part) => (/^\d+$/.test(part) ? Number(part) : null));
  return [year ?? null, month ?? null, day ?? null];
}
