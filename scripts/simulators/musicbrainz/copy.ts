// COPY … FROM STDIN through pg's documented Submittable hook (the one pg-copy-streams uses),
// so bulk loading needs no package beyond `pg`.
import type { Client, Connection } from "pg";

// pg's Connection has these, but @types/pg leaves them out.
type CopyConnection = Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
};

class CopyFromStdin {
  private error: Error | undefined;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly done: (error?: Error) => void,
  ) {}

  submit(connection: Connection) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection) {
    connection.sendCopyFromChunk(this.data);
    connection.endCopyFrom();
  }

  handleError(error: Error) {
    this.error = error;
  }

  // The server always ends a COPY, failed or not, with ReadyForQuery.
  handleReadyForQuery() {
    this.done(this.error);
  }

  handleCommandComplete() {}
  handleCopyData() {}
}

export type CopyValue = string | number | boolean | null;

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

/** Rows for one table, in COPY's text format, until `take()` hands them over. */
export class CopyBuffer {
  private lines: string[] = [];

  constructor(
    readonly table: string,
    readonly columns: string[],
  ) {}

  get length() {
    return this.lines.length;
  }

  add(...values: CopyValue[]) {
    this.lines.push(`${values.map(copyField).join("\t")}\n`);
  }

  /** Empties the buffer; the rows go to the database with `copyIn`. */
  take(): CopyBatch {
    const batch = {
      text: `COPY ${this.table} (${this.columns.join(", ")}) FROM STDIN`,
      data: Buffer.from(this.lines.join("")),
    };
    this.lines = [];
    return batch;
  }
}

export type CopyBatch = { text: string; data: Buffer };

/** Runs the batches one after another (pg no longer wants queries queued on one client). */
export async function copyIn(client: Client, ...batches: CopyBatch[]): Promise<void> {
  for (const { text, data } of batches) {
    await new Promise<void>((resolve, reject) => {
      client.query(new CopyFromStdin(text, data, (error) => (error ? reject(error) : resolve())));
    });
  }
}
