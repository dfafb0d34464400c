import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

/**
 * Password authentication for the embedded server, done by us before a connection reaches PGlite
 * (which, being single-user, accepts any user without a password).
 *
 * SCRAM-SHA-256 (RFC 5802/7677, what Postgres uses by default since 14): the password never crosses
 * the socket and an observed exchange cannot be replayed; node-postgres, psql and every driver speak
 * it. Cleartext would send the password over loopback TCP; MD5 is deprecated in Postgres 18.
 * Only the password is checked: whoever has it is the superuser, whatever user name they give.
 */
export class ScramSha256Verifier {
  readonly #salt = randomBytes(16);
  readonly #iterations = 4096;
  readonly #storedKey: Buffer;
  readonly #serverKey: Buffer;

  constructor(password: string) {
    const salted = pbkdf2Sync(password.normalize("NFKC"), this.#salt, this.#iterations, 32, "sha256");
    this.#storedKey = sha256(hmac(salted, "Client Key"));
    this.#serverKey = hmac(salted, "Server Key");
  }

  /**
   * Runs the exchange on a fresh connection. Resolves with the client's startup message (`replay`,
   * to be replayed to PGlite, which then answers AuthenticationOk) and its parameters once the
   * password is proven; answers an ErrorResponse, closes the socket and resolves `null` otherwise.
   */
  async authenticate(socket: Socket, timeoutMs: number): Promise<AuthenticatedStartup | null> {
    const reader = new PacketReader(socket, timeoutMs);
    try {
      const startup = await this.#readStartup(socket, reader);
      if (!startup) return null;
      socket.write(authentication(10, Buffer.from("SCRAM-SHA-256\0\0")));
      const initial = await reader.message("p");
      const mechanismEnd = initial.indexOf(0);
      if (initial.subarray(0, mechanismEnd).toString() !== "SCRAM-SHA-256") {
        return refuse(socket, "28000", "only SCRAM-SHA-256 authentication is supported");
      }
      const clientFirst = initial.subarray(mechanismEnd + 5).toString();
      const header = /^([ny]),,/.exec(clientFirst);
      const clientNonce = /(?:^|,)r=([^,]+)/.exec(clientFirst)?.[1];
      if (!header || !clientNonce) return refuse(socket, "08P01", "malformed SCRAM client-first message");
      const clientFirstBare = clientFirst.slice(header[0].length);
      const nonce = clientNonce + randomBytes(18).toString("base64");
      const serverFirst = `r=${nonce},s=${this.#salt.toString("base64")},i=${this.#iterations}`;
      socket.write(authentication(11, Buffer.from(serverFirst)));

      const clientFinal = (await reader.message("p")).toString();
      const proofAt = clientFinal.lastIndexOf(",p=");
      const withoutProof = clientFinal.slice(0, proofAt);
      const binding = Buffer.from(header[0]).toString("base64");
      if (proofAt < 0 || withoutProof !== `c=${binding},r=${nonce}`) {
        return refuse(socket, "08P01", "malformed SCRAM client-final message");
      }
      const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const signature = hmac(this.#storedKey, authMessage);
      const user = startup.parameters.get("user") ?? "";
      if (proof.length !== signature.length) return refuse(socket, "28P01", passwordFailed(user));
      const clientKey = Buffer.from(proof.map((byte, index) => byte ^ (signature[index] as number)));
      if (!timingSafeEqual(sha256(clientKey), this.#storedKey)) {
        return refuse(socket, "28P01", passwordFailed(user));
      }
      const serverSignature = hmac(this.#serverKey, authMessage).toString("base64");
      socket.write(authentication(12, Buffer.from(`v=${serverSignature}`)));
      return { replay: Buffer.concat([startup.packet, reader.rest()]), parameters: startup.parameters };
    } catch (error) {
      if (socket.writable)
        return refuse(socket, "08P01", `authentication failed: ${(error as Error).message}`);
      socket.destroy();
      return null;
    } finally {
      reader.close();
    }
  }

  async #readStartup(
    socket: Socket,
    reader: PacketReader,
  ): Promise<{ packet: Buffer; parameters: ReadonlyMap<string, string> } | null> {
    for (;;) {
      const packet = await reader.startupPacket();
      const code = packet.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        socket.write("N"); // no encryption on loopback; the client goes on in plain text
        continue;
      }
      if (code !== PROTOCOL_3) {
        refuse(socket, "08P01", "unsupported protocol or cancel request");
        return null;
      }
      return { packet, parameters: startupParameters(packet) };
    }
  }
}

/** What {@link ScramSha256Verifier.authenticate} resolves with for a client that proved the password. */
export interface AuthenticatedStartup {
  /** The startup message and whatever the client sent behind it, for PGlite. */
  replay: Buffer;
  /** The startup message's parameters (`user`, `database`, `application_name`, ...). */
  parameters: ReadonlyMap<string, string>;
}

/** The name/value pairs of a protocol-3 startup packet (after its length and version). */
function startupParameters(packet: Buffer): ReadonlyMap<string, string> {
  const fields = packet.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  // Pairs end at the first empty name (the packet's terminator).
  for (let i = 0; i + 1 < fields.length && fields[i] !== ""; i += 2) {
    parameters.set(fields[i] as string, fields[i + 1] as string);
  }
  return parameters;
}

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const MAX_PACKET = 64 * 1024;

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
const passwordFailed = (user: string) =>
  `password authentication failed for user "${user}" (the password is in the data directory's db-password file)`;

/** An Authentication ('R') message with its subtype code and payload. */
function authentication(code: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header[0] = 0x52;
  header.writeInt32BE(8 + payload.length, 1);
  header.writeInt32BE(code, 5);
  return Buffer.concat([header, payload]);
}

/** Answers a FATAL ErrorResponse and closes the connection. */
function refuse(socket: Socket, sqlState: string, message: string): null {
  const fields = [
    ["S", "FATAL"],
    ["V", "FATAL"],
    ["C", sqlState],
    ["M", message],
  ];
  const body = Buffer.concat([
    ...fields.map(([key, value]) => Buffer.from(`${key}${value}\0`)),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header[0] = 0x45;
  header.writeInt32BE(4 + body.length, 1);
  socket.end(Buffer.concat([header, body]));
  return null;
}

/** Reads whole protocol packets from a socket during authentication (bounded size and time). */
class PacketReader {
  #buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;
  #failed: Error | undefined;
  readonly #socket: Socket;
  readonly #timer: NodeJS.Timeout;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    this.#wake();
  };
  readonly #onEnd = () => this.#fail(new Error("connection closed during authentication"));

  constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    socket.on("data", this.#onData);
    socket.once("close", this.#onEnd);
    this.#timer = setTimeout(() => this.#fail(new Error("authentication timed out")), timeoutMs);
  }

  /** A startup-phase packet: int32 length (itself included), then the body. */
  async startupPacket(): Promise<Buffer> {
    const length = await this.#peekLength(0);
    return this.#take(length);
  }

  /** A regular message of `type`; resolves with its payload. */
  async message(type: "p"): Promise<Buffer> {
    const length = (await this.#peekLength(1)) + 1;
    const packet = await this.#take(length);
    if (packet[0] !== type.charCodeAt(0)) throw new Error(`expected a "${type}" message`);
    return packet.subarray(5);
  }

  /** Bytes received past the last packet read (the client may pipeline its first query). */
  rest(): Buffer {
    return this.#buffer;
  }

  /** Stops listening; the socket is left paused for whoever takes it over. */
  close(): void {
    clearTimeout(this.#timer);
    this.#socket.off("data", this.#onData);
    this.#socket.off("close", this.#onEnd);
    this.#socket.pause();
  }

  async #peekLength(offset: number): Promise<number> {
    await this.#until(offset + 4);
    const length = this.#buffer.readInt32BE(offset);
    if (length < 4 || length > MAX_PACKET) throw new Error("bad packet length");
    return length;
  }

  async #take(length: number): Promise<Buffer> {
    await this.#until(length);
    const packet = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return packet;
  }

  async #until(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (this.#failed) throw this.#failed;
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  #fail(error: Error): void {
    this.#failed = error;
    this.#wake();
  }
}
