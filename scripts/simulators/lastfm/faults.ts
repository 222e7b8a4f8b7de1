// Which API request fails, and how: a seeded choice, so a run with the same faultSeed
// and the same request order injects the same faults.
import { createRng, hashString } from "@/scripts/simulators/catalog";
import type { FaultKind } from "./options";

/** Faults that only make sense on a successful answer about a user. */
export const USER_FAULTS: ReadonlySet<FaultKind> = new Set(["user-not-found", "wrong-user"]);

export type FaultPicker = {
  /** The fault for the next request: a queued one first, else one drawn at `rate` from `weights`. */
  next(
    rate: number,
    weights: Partial<Record<FaultKind, number>>,
    isApplicable: (kind: FaultKind) => boolean,
  ): FaultKind | undefined;
  /** A seeded index in [0, n), e.g. which other user a wrong-user answer is about. */
  pickIndex(n: number): number;
  enqueue(kinds: FaultKind[]): void;
  reseed(seed: number): void;
};

export function createFaultPicker(seed: number): FaultPicker {
  let rng = createRng(hashString(`faults|${seed}`));
  const queue: FaultKind[] = [];
  return {
    next(rate, weights, isApplicable) {
      // Two draws for every request, whatever the outcome, keep later choices reproducible.
      const isFault = rng() < rate;
      const which = rng();
      const queued = queue.shift();
      if (queued) return queued;
      if (!isFault) return undefined;
      const candidates = Object.entries(weights).filter(
        (entry): entry is [FaultKind, number] => (entry[1] ?? 0) > 0 && isApplicable(entry[0] as FaultKind),
      );
      const sum = candidates.reduce((total, [, weight]) => total + weight, 0);
      let target = which * sum;
      for (const [kind, weight] of candidates) {
        target -= weight;
        if (target < 0) return kind;
      }
      return candidates.at(-1)?.[0];
    },
    pickIndex(n) {
      return Math.floor(rng() * n);
    },
    enqueue(kinds) {
      queue.push(...kinds);
    },
    reseed(newSeed) {
      rng = createRng(hashString(`faults|${newSeed}`));
    },
  };
}
