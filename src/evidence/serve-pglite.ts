/**
 * PGlite served over the PostgreSQL wire protocol, for `npm start` once it uses the store: the
 * worker (which will write the evidence) and the API (which will read it) are separate processes, and a PGlite data directory may be
 * opened by one process only. This process owns it; both connect with `pg` through DATABASE_URL,
 * exactly as they would to a production PostgreSQL, so there is one code path.
 *
 * PGlite is one PostgreSQL session, so several connections take turns, and a turn must be a whole
 * exchange: an extended-protocol query (Parse, Bind, Describe, Execute … up to Sync) or a simple
 * Query, never single messages, or one client's Parse replaces the unnamed statement another is
 * about to Bind. A connection that leaves a transaction open keeps its turn until it ends it.
 * (`@electric-sql/pglite-socket` 0.2.17, tried first, multiplexes single messages: under two pools,
 * reads outside a transaction failed with `portal "" does not exist`.)
 *
 * It listens on a Unix socket in a directory only this user may enter (mode 0700), not on a TCP
 * port: PGlite has no passwords, and a socket on 127.0.0.1 would let any local user read the store.
 * The migrations run here, before the first connection is accepted.
 */
import { PGlite } from '@electric-sql/pglite';
import { Mutex, type MutexInterface } from 'async-mutex';
import { Kysely, PGliteDialect } from 'kysely';
import { mkdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { migrateToLatest } from './migrate';
import { pgliteServerAddress, type PgliteServerLocation } from './pglite-address';
import type { EvidenceDatabase } from './schema';

/** Unix socket paths are limited to 107 bytes on Linux. */
const MAX_SOCKET_PATH = 107;

// The untyped first messages of a connection (the PostgreSQL frontend/backend protocol, "Message
// Formats"); any other, such as a CancelRequest (PGlite cannot cancel), closes the connection.
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
/** Messages after which the client waits for an answer: the end of one turn. */
const ENDS_TURN = new Set(['S', 'Q', 'H'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

export interface PgliteServer {
  databaseUrl: string;
  close(): Promise<void>;
}

export async function servePglite(location: PgliteServerLocation): Promise<PgliteServer> {
  const { socketDir, socketPath, databaseUrl } = pgliteServerAddress(location);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(
      `the evidence socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes: use a shorter DATA_DIR`,
    );
  }
  mkdirSync(location.pgliteDir, { recursive: true, mode: 0o700 });
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  if (await answers(socketPath)) throw new Error(`another evidence server already listens on ${socketPath}`);
  rmSync(socketPath, { force: true }); // left by a server that was killed

  const pglite = await PGlite.create(location.pgliteDir);
  try {
    // Kysely on the PGlite instance itself, for the migrations only: not destroyed (that would
    // close the instance), and done before any connection is accepted.
    await migrateToLatest(new Kysely<EvidenceDatabase>({ dialect: new PGliteDialect({ pglite }) }));
    const turns = new Turns(pglite);
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      serveConnection(socket, turns);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
    return { databaseUrl, close: () => closeAll(server, sockets, turns, pglite, socketPath) };
  } catch (error) {
    await pglite.close();
    throw error;
  }
}

async function closeAll(server: Server, sockets: Set<Socket>, turns: Turns, pglite: PGlite, socketPath: string) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  await closed;
  await turns.idle();
  await pglite.close();
  rmSync(socketPath, { force: true });
}

/** Whose turn it is to talk to PGlite. */
class Turns {
  readonly #mutex = new Mutex();
  /** A connection in the middle of a transaction, which keeps its turn, and how to give it up. */
  #holder?: { socket: Socket; release: MutexInterface.Releaser };

  constructor(private readonly pglite: PGlite) {}

  /** Runs one whole exchange of `socket`'s, its answers written back as PGlite produces them. */
  async take(socket: Socket, messages: Uint8Array[]): Promise<void> {
    const release = this.#holder?.socket === socket ? this.#holder.release : await this.#mutex.acquire();
    this.#holder = undefined;
    try {
      if (socket.destroyed) return;
      for (const message of messages) {
        await this.pglite.execProtocolRawStream(message, {
          onRawData: (data) => {
            if (!socket.destroyed) socket.write(Buffer.from(data));
          },
        });
      }
    } finally {
      if (!this.pglite.isInTransaction()) release();
      else if (!socket.destroyed) this.#holder = { socket, release };
      else await this.#rollBack(release);
    }
  }

  /** A connection that closed with a transaction open: roll it back and give the turn on. */
  async left(socket: Socket): Promise<void> {
    if (this.#holder?.socket !== socket) return;
    const { release } = this.#holder;
    this.#holder = undefined;
    await this.#rollBack(release);
  }

  async #rollBack(release: MutexInterface.Releaser) {
    try {
      await this.pglite.exec('rollback');
    } finally {
      release();
    }
  }

  /** Resolves once no exchange is running or waiting. */
  async idle(): Promise<void> {
    if (this.#holder) this.#holder.release();
    this.#holder = undefined;
    await this.#mutex.waitForUnlock();
  }
}

/** Cuts the byte stream of one connection into messages, and the messages into whole exchanges. */
function serveConnection(socket: Socket, turns: Turns) {
  let buffered = Buffer.alloc(0);
  let started = false;
  let exchange: Uint8Array[] = [];
  let queue = Promise.resolve();
  const send = (messages: Uint8Array[]) => {
    queue = queue.then(() => turns.take(socket, messages)).catch(() => void socket.destroy());
  };

  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (!started) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const code = buffered.readInt32BE(4);
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST)
          socket.write('N'); // no encryption on a local socket
        else if (code === PROTOCOL_3) {
          started = true;
          send([new Uint8Array(message)]);
        } else return void socket.destroy(); // a cancel request (PGlite cannot cancel), or not PostgreSQL
        continue;
      }
      if (buffered.length < 5) return;
      const length = 1 + buffered.readInt32BE(1);
      if (buffered.length < length) return;
      const type = buffered[0]!;
      const message = new Uint8Array(buffered.subarray(0, length));
      buffered = buffered.subarray(length);
      if (type === TERMINATE) return void socket.end();
      exchange.push(message);
      if (ENDS_TURN.has(type)) {
        send(exchange);
        exchange = [];
      }
    }
  });
  socket.on('error', () => undefined); // a client that went away: 'close' follows
  socket.once('close', () => {
    queue = queue.then(() => turns.left(socket)).catch(() => undefined);
  });
}

const answers = (socketPath: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(socketPath, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export { pgliteServerAddress, type PgliteServerLocation };
