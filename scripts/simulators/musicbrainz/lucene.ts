// The slice of Lucene query syntax ws/2 clients send: field:value, "quoted phrases",
// AND / OR / NOT / + / -, parentheses (also after a field: reid:(a OR b)), trailing-* prefixes.
// Clauses combine as Lucene's classic parser combines them (default operator OR).

export type Term = { kind: "term"; field: string; text: string; phrase: boolean; prefix: boolean };
export type Bool = { kind: "bool"; must: Query[]; should: Query[]; mustNot: Query[] };
export type Query = Term | Bool;

export class QuerySyntaxError extends Error {}

type Token =
  | { type: "(" | ")" | "AND" | "OR" | "NOT" | "+" | "-" }
  | { type: "field"; name: string }
  | { type: "term"; text: string; quoted: boolean };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) i++;
    else if (c === "(" || c === ")") tokens.push({ type: c }), i++;
    // A lone + or - (as in "Rumours - Rework") modifies nothing.
    else if (c === "+" || c === "-") {
      if (/[^\s)]/.test(input[i + 1] ?? " ")) tokens.push({ type: c });
      i++;
    } else if (input.startsWith("&&", i)) tokens.push({ type: "AND" }), (i += 2);
    else if (input.startsWith("||", i)) tokens.push({ type: "OR" }), (i += 2);
    else if (c === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw new QuerySyntaxError("unterminated phrase");
      tokens.push({ type: "term", text: input.slice(i + 1, end), quoted: true });
      i = end + 1;
      i = skipModifiers(input, i);
    } else {
      let text = "";
      while (i < input.length && !/[\s()"]/.test(input[i])) {
        if (input[i] === "\\" && i + 1 < input.length) text += input[++i];
        else if (input[i] === ":" && text) break;
        else text += input[i];
        i++;
      }
      if (input[i] === ":") {
        tokens.push({ type: "field", name: text.toLowerCase() });
        i++;
      } else if (text === "AND" || text === "OR" || text === "NOT") tokens.push({ type: text });
      else tokens.push({ type: "term", text: text.replace(/[~^][\d.]*$/, ""), quoted: false });
    }
  }
  return tokens;
}

// Fuzziness (~2) and boosts (^3) change ranking only; the simulator ignores them.
function skipModifiers(input: string, i: number): number {
  while (/[~^]/.test(input[i] ?? "")) {
    i++;
    while (/[\d.]/.test(input[i] ?? "")) i++;
  }
  return i;
}

export function parseQuery(input: string, defaultField: string): Query {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];

  function sequence(field: string, closing: boolean): Bool {
    const bool: Bool = { kind: "bool", must: [], should: [], mustNot: [] };
    let previous: { query: Query; list: Query[] } | undefined;
    while (pos < tokens.length && !(closing && peek().type === ")")) {
      let conjunction: "AND" | "OR" | undefined;
      const first = peek().type;
      if (first === "AND" || first === "OR") {
        if (!previous) throw new QuerySyntaxError(`${first} without a left-hand side`);
        conjunction = first;
        pos++;
      }
      let modifier: "+" | "-" | undefined;
      const next = peek()?.type;
      if (next === "+" || next === "-" || next === "NOT") {
        modifier = next === "+" ? "+" : "-";
        pos++;
      }
      const query = clause(field);
      // Lucene's addClause: "a AND b" makes both required; the default operator leaves clauses optional.
      if (conjunction === "AND" && previous && previous.list === bool.should) {
        bool.should.splice(bool.should.indexOf(previous.query), 1);
        bool.must.push(previous.query);
      }
      const list =
        modifier === "-" ? bool.mustNot : modifier === "+" || conjunction === "AND" ? bool.must : bool.should;
      list.push(query);
      previous = { query, list };
    }
    return bool;
  }

  function clause(field: string): Query {
    const token = tokens[pos++];
    if (!token) throw new QuerySyntaxError("query ends too early");
    if (token.type === "field") {
      if (peek()?.type === "(") return clause(token.name);
      const value = tokens[pos++];
      if (value?.type !== "term") throw new QuerySyntaxError(`${token.name}: has no value`);
      return term(token.name, value.text, value.quoted);
    }
    if (token.type === "(") {
      const inner = sequence(field, true);
      if (tokens[pos++]?.type !== ")") throw new QuerySyntaxError("missing )");
      return inner;
    }
    if (token.type === "term") return term(field, token.text, token.quoted);
    throw new QuerySyntaxError(`unexpected ${token.type}`);
  }

  const query = sequence(defaultField, false);
  if (pos < tokens.length) throw new QuerySyntaxError("unbalanced )");
  if (query.must.length + query.should.length + query.mustNot.length === 0)
    throw new QuerySyntaxError("no search terms");
  return query;
}

function term(field: string, text: string, quoted: boolean): Term {
  const prefix = !quoted && text.length > 1 && text.endsWith("*");
  return { kind: "term", field, text: prefix ? text.slice(0, -1) : text, phrase: quoted, prefix };
}

/** Lower-cased, accent-folded words, as MusicBrainz's search analyzer indexes names. */
export function words(text: string): string[] {
  return (
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
