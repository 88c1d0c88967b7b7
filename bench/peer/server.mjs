// The benchmark's peer: the service's Users endpoints as a Node.js team would write them instead
// — Fastify with response schemas (compiled serialisers), node-postgres with named (prepared)
// statements, node:cluster with two workers and the service's pool split between them. The same
// SQL, headers and JSON as the service and bench/Baseline; no logging (as the floor has none).
//
//   PORT=8082 DATABASE_URL="Host=…;Port=…;Username=…;Database=…;Maximum Pool Size=20;…" node server.mjs
//
// DATABASE_URL is the Npgsql key=value string the harness gives every server: host, port, user,
// database and the pool's maximum are read from it (the other settings have no pg equivalent).
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import Fastify from "fastify";
import pg from "pg";

const workers = Number(process.env.PEER_WORKERS ?? 2);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (!shuttingDown) console.error(`worker ${worker.process.pid} exited (${signal ?? code})`);
  });
  let shuttingDown = false;
  process.on("SIGTERM", () => {
    shuttingDown = true;
    for (const worker of Object.values(cluster.workers)) worker.kill("SIGTERM");
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on("exit", () => Object.keys(cluster.workers).length === 0 && process.exit(0));
  });
} else {
  await serve();
}

async function serve() {
  const settings = Object.fromEntries(
    (process.env.DATABASE_URL ?? "").split(";").filter(Boolean).map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim()];
    }),
  );
  // Timestamps as PostgreSQL writes them (microseconds), not JS Dates (milliseconds): the same JSON.
  pg.types.setTypeParser(1184, (text) => text);
  const pool = new pg.Pool({
    host: settings.host,
    port: Number(settings.port ?? 5432),
    user: settings.username,
    password: settings.password,
    database: settings.database,
    max: Math.max(1, Math.floor(Number(settings["maximum pool size"] ?? 20) / workers)),
    options: "-c TimeZone=UTC",
  });

  const columns = "id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject";
  const getById = `SELECT ${columns} FROM users WHERE id = $1 LIMIT 1`;
  const list = `SELECT ${columns} FROM users ORDER BY created_at DESC, id DESC LIMIT $1`;
  const insert = "INSERT INTO users (id, email, email_key, name, created_at, updated_at, version, identity_issuer, identity_subject) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)";
  const update = "UPDATE users SET email = $1, email_key = $2, name = $3, updated_at = $4 WHERE id = $5 AND version = $6 RETURNING version";
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  const user = {
    type: "object",
    properties: {
      id: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      createdAt: { type: "string" },
      updatedAt: { type: "string" },
      boundToIdentity: { type: "boolean" },
    },
  };
  const input = {
    type: "object",
    properties: { email: { type: "string" }, name: { type: "string" } },
  };

  const app = Fastify({ logger: false });
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.startsWith("/api")) reply.header("cache-control", "private, no-cache");
  });

  app.get("/health/ready", async (request, reply) => reply.type("application/json").send('{"status":"ok"}'));

  app.get("/api/v1/users/:id", { schema: { response: { 200: user } } }, async (request, reply) => {
    if (!uuid.test(request.params.id)) return reply.code(404).send();
    const { rows } = await pool.query({ name: "get_by_id", text: getById, values: [request.params.id] });
    if (rows.length === 0) return reply.code(404).send();
    reply.header("etag", `"${rows[0].version}"`);
    return toUser(rows[0]);
  });

  app.get("/api/v1/users", { schema: { response: { 200: { type: "array", items: user } } } }, async (request, reply) => {
    const take = request.query.limit === undefined ? 50 : Number.parseInt(request.query.limit, 10);
    const { rows } = await pool.query({ name: "list", text: list, values: [take + 1] });
    if (rows.length > take) {
      rows.pop();
      const last = rows[rows.length - 1];
      reply.header("link", `</api/v1/users?limit=${take}&cursor=${cursor(last)}>; rel="next"`);
    }
    return rows.map(toUser);
  });

  app.post("/api/v1/users", { schema: { body: input, response: { 201: user } } }, async (request, reply) => {
    const { email, name } = request.body ?? {};
    if (!valid(email, name)) return reply.code(400).send();
    const now = nowIso();
    const id = uuidV7();
    try {
      await pool.query({ name: "insert", text: insert, values: [id, email.trim(), email.trim().toLowerCase(), name.trim(), now, 1, null, null] });
    } catch (error) {
      if (error.code === "23505") return reply.code(409).send();
      throw error;
    }
    reply.code(201).header("location", `/api/v1/users/${id}`).header("etag", '"1"');
    return { id, email: email.trim(), name: name.trim(), createdAt: now, updatedAt: now, boundToIdentity: false };
  });

  // The service's two statements on one connection: read the current row, then a write
  // conditional on its version.
  app.put("/api/v1/users/:id", { schema: { body: input, response: { 200: user } } }, async (request, reply) => {
    const { email, name } = request.body ?? {};
    if (!uuid.test(request.params.id)) return reply.code(404).send();
    if (!valid(email, name)) return reply.code(400).send();
    const client = await pool.connect();
    try {
      const { rows } = await client.query({ name: "get_by_id", text: getById, values: [request.params.id] });
      if (rows.length === 0) return reply.code(404).send();
      const now = nowIso();
      const updated = await client.query({
        name: "update",
        text: update,
        values: [email.trim(), email.trim().toLowerCase(), name.trim(), now, request.params.id, rows[0].version],
      });
      if (updated.rows.length === 0) return reply.code(409).send();
      reply.header("etag", `"${updated.rows[0].version}"`);
      return { id: request.params.id, email: email.trim(), name: name.trim(), createdAt: iso(rows[0].created_at), updatedAt: now, boundToIdentity: rows[0].identity_subject !== null };
    } catch (error) {
      if (error.code === "23505") return reply.code(409).send();
      throw error;
    } finally {
      client.release();
    }
  });

  await app.listen({ port: Number(process.env.PORT ?? 8082), host: "0.0.0.0" });
  process.on("SIGTERM", async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  });
}

function valid(email, name) {
  return typeof email === "string" && email.trim() !== "" && email.includes("@") && typeof name === "string" && name.trim() !== "";
}

function toUser(row) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    boundToIdentity: row.identity_subject !== null,
  };
}

// "2026-12-07 22:00:00.123456+00" (the session is in UTC) → "2026-12-07T22:00:00.123456Z", as the service writes it.
function iso(text) {
  return `${text.slice(0, 10)}T${text.slice(11, text.length - 3)}Z`;
}

// Now, to the microsecond like the service's clock: the wall clock at start plus a monotonic offset.
const startedUs = BigInt(Date.now()) * 1000n;
const startedHr = process.hrtime.bigint();
function nowIso() {
  const us = startedUs + (process.hrtime.bigint() - startedHr) / 1000n;
  const date = new Date(Number(us / 1000n)).toISOString();
  const fraction = `${date.slice(20, 23)}${String(us % 1000n).padStart(3, "0")}`.replace(/0+$/, "");
  return `${date.slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
}

// A version 7 UUID (time-ordered), as Guid.CreateVersion7 makes them.
function uuidV7() {
  const bytes = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The service's cursor bytes: created_at as .NET ticks (little-endian) and the id as .NET lays
// out a Guid (the first three groups little-endian), base64url.
function cursor(row) {
  const text = row.created_at;
  const seconds = BigInt(Math.floor(Date.parse(`${text.slice(0, 19).replace(" ", "T")}Z`) / 1000));
  const fraction = text.length > 22 && text[19] === "." ? text.slice(20, text.length - 3).padEnd(7, "0") : "0";
  const ticks = seconds * 10_000_000n + BigInt(fraction) + 621_355_968_000_000_000n;
  const bytes = Buffer.alloc(24);
  bytes.writeBigInt64LE(ticks, 0);
  const id = Buffer.from(row.id.replaceAll("-", ""), "hex");
  id.subarray(0, 4).reverse();
  id.subarray(4, 6).reverse();
  id.subarray(6, 8).reverse();
  id.copy(bytes, 8);
  return bytes.toString("base64url");
}
