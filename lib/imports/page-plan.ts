// Which pages of a pinned window still have to be read. A page of size s is the plays at offsets
// [(page − 1)·s, page·s) of the window, newest first; checkpoints of different sizes are compared by the
// offsets they cover, so an import can fall back from 1,000 to 500 to 200 a request, and resume at
// any size, without losing a play (overlaps only re-read plays that are stored once).

export type PageRequest = { page: number; pageSize: number };
export type OffsetRange = { start: number; end: number };

/** The page sizes an import tries, largest first: a page that keeps failing is read again in smaller ones. */
export const PAGE_SIZES = [1000, 500, 200] as const;

export function offsetsOf({ page, pageSize }: PageRequest, total: number): OffsetRange {
  return { start: Math.min(total, (page - 1) * pageSize), end: Math.min(total, page * pageSize) };
}

/** The offsets of [0, total) that no checkpoint covers, merged and in order. */
export function listMissingRanges(checkpoints: PageRequest[], total: number): OffsetRange[] {
  const covered = checkpoints
    .map((checkpoint) => offsetsOf(checkpoint, total))
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start - b.start);
  const missing: OffsetRange[] = [];
  let cursor = 0;
  for (const range of covered) {
    if (range.start > cursor) missing.push({ start: cursor, end: range.start });
    cursor = Math.max(cursor, range.end);
  }
  if (cursor < total) missing.push({ start: cursor, end: total });
  return missing;
}

/** The pages of `pageSize` that together cover `range`. */
export function pagesCovering(range: OffsetRange, pageSize: number): PageRequest[] {
  if (range.end <= range.start) return [];
  const first = Math.floor(range.start / pageSize) + 1;
  const last = Math.ceil(range.end / pageSize);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ page: first + i, pageSize }));
}

/** Every page of `pageSize` that the window still needs, each asked once. */
export function planPages(checkpoints: PageRequest[], total: number, pageSize: number): PageRequest[] {
  const pages = new Map<number, PageRequest>();
  for (const range of listMissingRanges(checkpoints, total)) {
    for (const request of pagesCovering(range, pageSize)) pages.set(request.page, request);
  }
  return [...pages.values()].sort((a, b) => a.page - b.page);
}

/** The next smaller size to read a failing page with, or null at the smallest. */
export function smallerPageSize(pageSize: number): number | null {
  return PAGE_SIZES.find((size) => size < pageSize) ?? null;
}

/** The smaller pages that re-read what one failing page was meant to hold. */
export function splitPage(request: PageRequest, total: number): PageRequest[] {
  const size = smallerPageSize(request.pageSize);
  return size === null ? [] : pagesCovering(offsetsOf(request, total), size);
}
