// Names as Last.fm and MusicBrainz spell them differently, folded to comparable keys. Every name matcher
// (mirror, web service, corpus test) goes through here, so they agree on what "the same name" means.

/** Words that mark a bracketed or dashed suffix as an edition of the album, not part of its title. */
const EDITION_WORDS = [
  "remaster",
  "remastered",
  "remasters",
  "deluxe",
  "expanded",
  "edition",
  "anniversary",
  "bonus",
  "live",
  "mono",
  "stereo",
  "version",
  "reissue",
  "special",
  "collector's",
  "collectors",
  "legacy",
  "explicit",
  "clean",
  "super",
  "digital",
  "edit",
  "mix",
  "mixed",
  "extended",
  "tracks",
  "disc",
  "cd",
  "vinyl",
  "limited",
  "import",
  "japan",
  "japanese",
  "uk",
  "us",
  // Store and streaming exports: "Let It Be [Single ]", "- Single", "- EP", "[Double A-Side Single]".
  "single",
  "ep",
  "archive",
];
/** K-pop and store numbering: "Armageddon - The 1st Album", "(2nd Mini Album)". */
const ORDINAL_RELEASE = "\\d+(?:st|nd|rd|th)\\s+(?:\\w+\\s+)?(?:album|single|ep)";
// An edition word, a bare year, or a short suffix with a year in it ("(2011 Mix)", "(Remasterd 2009)").
const EDITION_RE = new RegExp(
  `\\b(${EDITION_WORDS.join("|")})\\b|\\b${ORDINAL_RELEASE}\\b|^\\s*(19|20)\\d\\d\\s*$|^\\s*(\\S+\\s+){0,2}(19|20)\\d\\d(\\s+\\S+){0,2}\\s*$`,
  "i",
);
/** "(Remastered 2011)", "[Deluxe Edition]", "{Live}" at the end of a title. */
const BRACKET_SUFFIX_RE = /\s*[([{]([^()[\]{}]*)[)\]}]\s*$/;
/** "- 2009 Remaster", " – Live at Wembley" at the end of a title. */
const DASH_SUFFIX_RE = /\s+[-–—]\s+([^-–—]+)$/;
const LIVE_RE = /\blive\b/i;
/** A store suffix also says which kind of release group the title names. */
const SINGLE_RE = /\bsingle\b/i;
const EP_RE = /\bep\b/i;

/** A featured artist follows the main credit: "A & B feat. C" is "A & B", featuring C. */
const FEATURING_RE = /\s+(?:feat\.?|ft\.?|featuring|with)\s+/i;
/** Collaboration separators inside a credit: "A, B", "A & B", "A x B", "A + B", "A / B", "A vs. B". */
const JOIN_RE = /\s*(?:,|\s&\s|\sand\s|\s[x×]\s|\s\+\s|\s\/\s|\svs\.?\s)\s*/i;

const TRANSLITERATIONS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  ø: "o",
  œ: "oe",
  ł: "l",
  đ: "d",
  þ: "th",
  ð: "d",
  ı: "i",
};

/**
 * Case, accents, quotes and punctuation folded away: "Café’s “Velvet”!" → "cafes velvet".
 * "&" reads as "and"; letters of every script and digits survive; a leading "the" is dropped.
 */
export function foldName(name: string): string {
  const folded = name
    .normalize("NFKD")
    // Accents off Latin, Greek and Cyrillic letters only: a kana's voicing mark changes the word.
    .replace(/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, "$1")
    .normalize("NFC")
    .toLowerCase()
    // Letters NFKD keeps whole, spelled as keyboards and PostgreSQL's unaccent spell them: "Ærø" → "aero".
    .replace(/[ßæøœłđþðı]/g, (letter) => TRANSLITERATIONS[letter])
    .replace(/[’'`´‘ʼ]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return folded.replace(/^the (?=\S)/, "");
}

export type TitleKeys = {
  /** The whole title folded: "rumours super deluxe". */
  full: string;
  /** Without edition suffixes: "rumours". Equal to `full` when there is none. */
  base: string;
  /** The title as written without its edition suffixes: "Rumours". */
  baseTitle: string;
  /** The suffixes taken off, as written: ["super deluxe"]. */
  editions: string[];
  /** An edition says live: a live release group is preferred. */
  live: boolean;
  /** "[Single]", "- EP": the release group's primary type the title asks for; null: an album or not said. */
  typeHint: "Single" | "EP" | null;
};

/** Splits edition suffixes ("(Remastered 2011)", "- 2009 Remaster", "[Deluxe Edition]") from an album title. */
export function titleKeys(title: string): TitleKeys {
  const editions: string[] = [];
  let base = title.trim();
  for (;;) {
    const match = BRACKET_SUFFIX_RE.exec(base) ?? DASH_SUFFIX_RE.exec(base);
    if (!match || !EDITION_RE.test(match[1])) break;
    const rest = base.slice(0, match.index).trim();
    if (!foldName(rest)) break; // "(Live)" alone is a title, not an edition
    editions.unshift(match[1].trim());
    base = rest;
  }
  return {
    full: foldName(title),
    base: foldName(base),
    baseTitle: base,
    editions,
    live: editions.some((edition) => LIVE_RE.test(edition)),
    typeHint: editions.some((edition) => SINGLE_RE.test(edition))
      ? "Single"
      : editions.some((edition) => EP_RE.test(edition))
        ? "EP"
        : null,
  };
}

/**
 * The names inside a credit as written, main credit first: "A & B feat. C" → ["A & B", "A", "B", "C"];
 * one name → [name]. The whole credit is the caller's first try.
 */
export function splitCollaborators(artist: string): string[] {
  const [main, ...featured] = artist.split(FEATURING_RE);
  const names = [main, ...[main, ...featured].flatMap((name) => name.split(JOIN_RE))].map((name) => name.trim());
  return [...new Set(names.filter(Boolean))];
}

/** The whole artist name first, then each collaborator: "A feat. B" → ["a feat b", "a", "b"]. */
export function artistKeys(artist: string): string[] {
  const keys = [foldName(artist)];
  const parts = splitCollaborators(artist).map(foldName).filter(Boolean);
  if (parts.length > 1) for (const part of parts) if (!keys.includes(part)) keys.push(part);
  return keys.filter(Boolean);
}

/** The numbers in a key, which must agree for a fuzzy match: "Volume 1" is not "Volume 2", "II" not "III". */
export function numbersOf(key: string): string {
  const numbers = (key.match(/\d+/g) ?? []).map((n) => String(Number(n)));
  for (const word of key.split(" ")) if (ROMAN_NUMERALS[word]) numbers.push(String(ROMAN_NUMERALS[word]));
  return numbers.join(" ");
}

/** Roman numerals of two letters or more count as numbers: "Led Zeppelin IV" is not "Led Zeppelin III". */
const ROMAN_NUMERALS: Record<string, number> = {
  ii: 2,
  iii: 3,
  iv: 4,
  vi: 6,
  vii: 7,
  viii: 8,
  ix: 9,
  xi: 11,
  xii: 12,
};

/** The trigrams pg_trgm uses: each word padded with two spaces in front and one behind. */
export function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.split(" ")) {
    if (!word) continue;
    const padded = `  ${word} `;
    const chars = [...padded];
    for (let i = 0; i + 3 <= chars.length; i++) result.add(chars.slice(i, i + 3).join(""));
  }
  return result;
}

/** pg_trgm's similarity(): shared trigrams over all distinct trigrams of both. */
export function similarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0;
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const all = ta.size + tb.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** The key a (artist, album) pair is cached under: variants that fold alike share one answer. */
export function pairKey(artist: string, album: string): { artistKey: string; titleKey: string } {
  return { artistKey: foldName(artist), titleKey: titleKeys(album).full };
}
