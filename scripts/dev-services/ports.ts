// A port someone else holds makes a child process die with a stack trace; asked first, it is one clear line.
import { createServer } from "node:net";
import { StartError } from "./embedded-postgres";

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => done(true)));
  });
}

export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  if (!(await isPortFree(port, host))) {
    throw new StartError(
      `Port ${port} is already in use (another npm start?): stop what holds it, or set ${variable} to a free port.`,
    );
  }
}
