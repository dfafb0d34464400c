import { createServer } from "node:net";

/** A port the product needs, with the variable that moves it. */
export interface RequiredPort {
  readonly port: number;
  readonly host: string;
  readonly purpose: string;
  readonly variable: string;
}

/** Thrown when a port is taken; the message says which service wanted it and how to move it. */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(readonly required: RequiredPort) {
    super(
      `port ${required.port} on ${required.host} (${required.purpose}) is already in use. ` +
        `Stop whatever is listening there, or set ${required.variable} to another port.`,
    );
  }
}

/** Resolves when `port` can be bound on `host`, rejects with `PortInUseError` otherwise. */
export function assertPortFree(required: RequiredPort): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" ? new PortInUseError(required) : error);
    });
    probe.listen({ port: required.port, host: required.host, exclusive: true }, () => {
      probe.close(() => resolve());
    });
  });
}
