// Graceful shutdown for the production server (serve.mjs): plain JavaScript, like it.
import net from "node:net";

/**
 * Graceful shutdown. On SIGTERM (or SIGINT) the server reports not ready (the flag
 * lib/health/readiness.ts reads) and hands its background jobs back to the queue at once, so
 * another server, or the next start, resumes them while this one drains. It accepts the
 * connections already waiting in the kernel's queue, then stops listening. The requests in flight
 * get up to SHUTDOWN_GRACE_MS to finish (what is left then is cut), and their replies close their
 * connections. Idle keep-alive connections are closed; a request that still arrives on one gets
 * 503 with `Connection: close` and Retry-After, except the health probes, which get their real
 * answer (readiness: 503, shutting down). The first request of a connection accepted before the
 * listener closed is served as usual, even when read after the signal: for its client it was
 * accepted. Then the embedding-cache rows still deferred are written, the database is closed, and
 * the process exits 0. The app's side runs inside Next.js's module graph, so it is reached through
 * a hook it puts on globalThis (lib/db/client.ts). A second signal exits at once.
 */
const shutdownDefaults = { graceMs: 25_000, maxGraceMs: 600_000, cleanupMs: 10_000, acceptQueuedMs: 5_000 };
const probePaths = new Set(["/api/health", "/api/ready"]);

/** SHUTDOWN_GRACE_MS, checked here because this file runs before lib/config.ts is loaded. */
export function readGraceMs(raw = process.env.SHUTDOWN_GRACE_MS) {
  if (raw === undefined || raw === "") return shutdownDefaults.graceMs;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > shutdownDefaults.maxGraceMs) {
    console.error(`Invalid environment configuration:\n  SHUTDOWN_GRACE_MS: must be a whole number of milliseconds from 0 to ${shutdownDefaults.maxGraceMs}, not ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return value;
}

/** One turn of the event loop, through its poll phase: connections waiting are accepted, data waiting is read. */
const nextTurn = () => new Promise((resolve) => setTimeout(() => setImmediate(resolve), 0));

export function createDrain(server, graceMs, { sendError }) {
  /** Replies not finished yet. */
  const inFlight = new Set();
  /**
   * Per connection: requests received, replies not finished, and bytes read when its last reply
   * finished (more read since: a next request is on its way in).
   */
  const connections = new Map();
  let signalled = false;
  let draining = false;
  let onIdle = () => {};
  let accepted = 0;
  let answered = 0;
  const log = (line) => console.log(`[shutdown] ${line}`);
  const count = (n, noun, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;
  const seconds = (ms) => `${Math.round(ms / 100) / 10} s`;

  server.on("connection", (socket) => {
    accepted += 1;
    connections.set(socket, { served: 0, open: 0, readWhenIdle: 0 });
    socket.once("close", () => connections.delete(socket));
  });

  /**
   * Closes a kept-alive connection with no request in flight or on its way in. Not one that has
   * carried no request yet: its client has sent one, or is about to, which is served.
   */
  function closeIfIdle(socket) {
    const state = connections.get(socket);
    if (state && state.served > 0 && state.open === 0 && socket.bytesRead === state.readWhenIdle) socket.end();
  }

  function track(request, response) {
    const { socket } = request;
    const state = connections.get(socket) ?? { served: 0, open: 0, readWhenIdle: 0 };
    state.served += 1;
    state.open += 1;
    inFlight.add(response);
    response.once("close", () => {
      state.open -= 1;
      if (state.open === 0) state.readWhenIdle = socket.bytesRead;
      inFlight.delete(response);
      if (!draining) return;
      answered += 1;
      // Its reply may have promised keep-alive before the signal.
      closeIfIdle(socket);
      if (inFlight.size === 0) onIdle();
    });
  }

  /** Resolves true once no reply is in flight, false when `ms` pass first. */
  async function idle(ms) {
    const deadline = performance.now() + ms;
    for (;;) {
      if (inFlight.size > 0) {
        const done = await new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now()));
          onIdle = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        if (!done) return false;
      }
      // A request on its way in on a connection already accepted is in flight too.
      await nextTurn();
      if (inFlight.size === 0) return true;
    }
  }

  async function shutDown(signal) {
    const began = performance.now();
    globalThis.embeddingsNotebookShuttingDown = true;
    draining = true;
    for (const socket of connections.keys()) closeIfIdle(socket);
    for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
    log(`${signal}: not ready; ${count(inFlight.size, "request")} in flight get up to ${seconds(graceMs)} to finish`);
    setTimeout(() => {
      log(`not done ${seconds(shutdownDefaults.cleanupMs)} after the grace period: exiting anyway`);
      process.exit(1);
    }, graceMs + shutdownDefaults.cleanupMs).unref();
    const jobs = handBackJobs();
    // Node accepts a connection or two per turn of its event loop, so under load the kernel's queue
    // holds connections that clients see as open; closing the listener would reset them all. They
    // are accepted first, until a turn finds none (at most acceptQueuedMs), and served.
    const acceptedBefore = accepted;
    const acceptUntil = began + Math.min(graceMs, shutdownDefaults.acceptQueuedMs);
    for (let seen = -1; seen !== accepted && performance.now() < acceptUntil; ) {
      seen = accepted;
      await nextTurn();
    }
    // net.Server's close, which only stops listening: http.Server's also destroys every connection
    // whose request has not been read yet.
    net.Server.prototype.close.call(server);
    log(`not accepting connections (${count(accepted - acceptedBefore, "queued connection")} accepted first)`);
    if (await idle(Math.max(0, graceMs - (performance.now() - began)))) log(`requests in flight: all finished (${count(answered, "reply", "replies")} since the signal)`);
    else log(`grace period of ${seconds(graceMs)} over: cutting ${count(inFlight.size, "request")} still running`);
    server.closeAllConnections();
    await jobs;
    await phase("writing deferred embedding-cache rows", async () => (hooks() ? hooks().flushWrites() : false), (open) =>
      open ? "deferred embedding-cache writes flushed" : `deferred embedding-cache writes: ${noDatabase}`,
    );
    await phase("closing the database", async () => (hooks() ? hooks().closeDatabase() : false), (open) => (open ? "database closed" : `database: ${noDatabase}`));
    log(`done in ${seconds(performance.now() - began)}; exiting`);
    process.exit(failed ? 1 : 0);
  }

  /** The app's side (lib/db/client.ts), once Next.js has loaded it. */
  const hooks = () => globalThis.embeddingsNotebookShutdown;
  const noDatabase = "no database open";
  let failed = false;

  async function phase(what, action, report) {
    try {
      log(report(await action()));
    } catch (error) {
      failed = true;
      console.error(`[shutdown] ${what} failed:`, error);
    }
  }

  /** At once: another server resumes the job while this one drains. */
  function handBackJobs() {
    return phase("handing background jobs back", async () => (hooks() ? hooks().handBackJobs() : null), (handedBack) =>
      handedBack === null ? `background jobs: ${noDatabase}` : `background jobs: ${count(handedBack, "job")} handed back to the queue, for another server or the next start`,
    );
  }

  return {
    /**
     * Tracks a request. During the drain, a request on a kept-alive connection is answered here
     * (true): 503, except the health probes; every reply closes its connection.
     */
    refuses(request, response) {
      if (draining) {
        response.shouldKeepAlive = false;
        const pathname = (request.url ?? "/").split("?")[0];
        if ((connections.get(request.socket)?.served ?? 0) > 0 && !probePaths.has(pathname)) {
          const message = "This server is shutting down and takes no new requests; send the request again: another server, or this one once restarted, answers it.";
          sendError(response, pathname, 503, "unavailable:shutdown", message, { "retry-after": "5", connection: "close" });
          return true;
        }
      }
      track(request, response);
      return false;
    },
    onSignal(signal) {
      if (!signalled) {
        signalled = true;
        void shutDown(signal);
        return;
      }
      log(`${signal} again: exiting now, cutting ${count(inFlight.size, "request")}`);
      process.exit(1);
    },
  };
}
