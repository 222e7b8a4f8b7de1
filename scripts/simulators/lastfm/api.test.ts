// Answers worked out in turns: the same bytes as at once, with the event loop free between chunks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ApiContext, answerApi, answerApiInTurns } from "./api";
import { DEFAULT_OPTIONS, SIM_API_KEY } from "./options";
import { yearStart } from "./test-support";
import { createDataset } from "./users";

const users = createDataset({ seed: 1 });
const context: ApiContext = { users, options: DEFAULT_OPTIONS, nowMs: Date.UTC(2026, 0, 1) };

/** Answers in turns, counting how often the event loop got round to other callbacks meanwhile. */
async function inTurns(params: URLSearchParams) {
  let turns = 0;
  let isDone = false;
  const tick = () => {
    if (isDone) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const answer = await answerApiInTurns(params, context);
  isDone = true;
  return { answer, turns };
}

function call(params: Record<string, string | number>): URLSearchParams {
  const all = { user: "HeavyHanna", api_key: SIM_API_KEY, format: "json", ...params };
  return new URLSearchParams(Object.entries(all).map(([name, value]) => [name, String(value)]));
}

test("a page of 1,000 plays is the same text in turns as at once, with the event loop turning while it is built", async () => {
  const params = call({
    method: "user.getrecenttracks",
    from: yearStart(2021),
    to: yearStart(2022),
    limit: 1000,
    page: 2,
  });
  const atOnce = answerApi(params, context);
  const { answer, turns } = await inTurns(params);
  assert.equal(answer.body.text, atOnce.body.text);
  assert.equal(answer.itemCount, 1000);
  assert.ok(turns >= 9, `the loop turned ${turns} times during 1,000 tracks`);
});

test("a year's album chart is the same text in turns as at once, with the event loop turning while plays are counted", async () => {
  const params = call({
    method: "user.getweeklyalbumchart",
    from: yearStart(2021),
    to: yearStart(2022) - 1,
    limit: 1000,
  });
  const atOnce = answerApi(params, context);
  const { answer, turns } = await inTurns(params);
  assert.equal(answer.body.text, atOnce.body.text);
  const plays = users.countScrobbles("HeavyHanna", yearStart(2021), yearStart(2022));
  assert.ok(turns >= Math.floor(plays / 2_000), `the loop turned ${turns} times over ${plays} plays`);
});

test("small and XML answers are unchanged in turns", async () => {
  for (const params of [
    call({ method: "user.getrecenttracks", from: yearStart(2021), to: yearStart(2022), limit: 1 }),
    call({ method: "user.getrecenttracks", from: yearStart(2021), to: yearStart(2022), limit: 300, format: "xml" }),
    call({ method: "user.getweeklyalbumchart", from: yearStart(2021), to: yearStart(2022), format: "xml" }),
    call({ method: "user.getinfo" }),
  ]) {
    assert.equal((await inTurns(params)).answer.body.text, answerApi(params, context).body.text);
  }
});
