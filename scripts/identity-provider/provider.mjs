// A real OpenID Connect provider (panva/oidc-provider) for local runs and the security tests.
// Access tokens are RS256 JWTs (RFC 9068) whose audience is the API. Two clients:
//   - a confidential client (--client-id/--client-secret) for the client-credentials grant: a
//     service or back office, any of the API's scopes;
//   - a public client for people (--sign-in-client-id, default backendservice-swagger: Swagger
//     UI's Authorize button, scripts/idp.sh token --user): authorization code with PKCE, no
//     secret, redirect URIs on loopback (any port, RFC 8252), only the end-user scopes
//     (resource:self) of the API. People sign in as a development user (--user login:password,
//     default ada:development and grace:development); the token's subject is the login.
//
//   node provider.mjs --port 55600 --jwks keys.json [--audience api://backendservice] [--scopes "a:read a:self"]
//
// The API's scopes: those of --scopes when given (also listed in discovery, where Swagger UI
// reads the sign-in's scopes); otherwise any scope of the form resource:action that a request
// asks for, so a new resource's scopes work without an edit here.
//
// keys.json holds {"keys": [private RSA JWKs]}: the first signs, all are published. It is
// created (one new key) when missing. Restarting with another first key is a key rotation.
// Prints "ready <issuer>" once it listens. For development and tests only: sessions and grants
// live in memory and every sign-in is consented to at once.
import { generateKeyPairSync, randomUUID, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import Provider from "oidc-provider";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    jwks: { type: "string" },
    audience: { type: "string", default: "api://backendservice" },
    "client-id": { type: "string", default: "backendservice-dev" },
    "client-secret": { type: "string", default: "backendservice-dev-secret" },
    "sign-in-client-id": { type: "string", default: "backendservice-swagger" },
    "redirect-uri": {
      type: "string",
      multiple: true,
      default: ["http://localhost/swagger/oauth2-redirect.html", "http://127.0.0.1/swagger/oauth2-redirect.html"],
    },
    user: { type: "string", multiple: true, default: ["ada:development", "grace:development"] },
    scopes: { type: "string" },
  },
});

const declared = values.scopes ? values.scopes.split(/\s+/).filter(Boolean) : null;
const apiScope = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
const endUserScope = /:self$/;
const signInClient = values["sign-in-client-id"];
const issuer = `http://127.0.0.1:${values.port}`;
const users = new Map(values.user.map((entry) => {
  const [login, ...password] = entry.split(":");
  return [login, password.join(":")];
}));

// The scopes asked for: at the authorization and client-credentials token requests in the
// request; when a code is redeemed, those the code was issued for.
const askedScopes = (ctx) =>
  String(ctx.oidc.params?.scope ?? ctx.oidc.entities?.AuthorizationCode?.scope ?? "").split(" ");
const apiScopesFor = (ctx, client) =>
  askedScopes(ctx)
    .filter((scope) => (declared ? declared.includes(scope) : apiScope.test(scope)))
    .filter((scope) => client?.clientId !== signInClient || endUserScope.test(scope));

if (!existsSync(values.jwks)) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };
  writeFileSync(values.jwks, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
}

const provider = new Provider(issuer, {
  jwks: JSON.parse(readFileSync(values.jwks, "utf8")),
  clients: [
    {
      client_id: values["client-id"],
      client_secret: values["client-secret"],
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
    },
    {
      client_id: signInClient,
      application_type: "native",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: values["redirect-uri"],
    },
  ],
  // Discovery lists what a person signing in may ask for; Swagger UI offers exactly these.
  scopes: ["openid", "profile", "email", ...(declared ?? []).filter((scope) => endUserScope.test(scope))],
  responseTypes: ["code"],
  claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
  findAccount: (ctx, sub) =>
    users.has(sub) ? { accountId: sub, claims: () => ({ sub, name: sub, email: `${sub}@example.com` }) } : undefined,
  // The browser's token request comes from the page that signs in: Swagger UI on loopback.
  clientBasedCORS: (ctx, origin, client) =>
    client.clientId === signInClient && /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => values.audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator, client) => ({
        scope: apiScopesFor(ctx, client).join(" "),
        audience: values.audience,
        accessTokenTTL: 3600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid, clientId, error) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body style="font-family: sans-serif; max-width: 24rem; margin: 4rem auto">
<h1>Sign in</h1>
<p>to <strong>${escape(clientId)}</strong> as a development user (${[...users.keys()].map(escape).join(", ")}).</p>
${error ? `<p role="alert" style="color: #b00">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label>Login <input name="login" autocomplete="username" required autofocus></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form></body></html>`;

const readForm = async (req) => {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  return new URLSearchParams(body);
};

const passwordMatches = (login, password) => {
  const expected = Buffer.from(users.get(login) ?? "");
  const given = Buffer.from(password ?? "");
  return users.has(login) && expected.length === given.length && timingSafeEqual(expected, given);
};

// The sign-in pages: a login form for the development users; the consent is given at once.
provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) {
    return next();
  }
  ctx.set("Cache-Control", "no-store");
  const { uid, prompt, params, session, grantId } = await provider.interactionDetails(ctx.req, ctx.res);
  if (match[1] !== uid) {
    ctx.throw(400, "interaction mismatch");
  }
  let result;
  if (prompt.name === "login" && ctx.method === "POST" && match[2]) {
    const form = await readForm(ctx.req);
    if (!passwordMatches(form.get("login"), form.get("password"))) {
      ctx.status = 401;
      ctx.type = "html";
      ctx.body = loginPage(uid, params.client_id, "Unknown login or wrong password.");
      return undefined;
    }
    result = { login: { accountId: form.get("login") } };
  } else if (prompt.name === "login") {
    ctx.type = "html";
    ctx.body = loginPage(uid, params.client_id);
    return undefined;
  } else if (prompt.name === "consent") {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { details } = prompt;
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(" "));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(" "));
    }
    result = { consent: { grantId: await grant.save() } };
  } else {
    ctx.throw(501, `prompt ${prompt.name} is not handled`);
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
  return undefined;
});

provider.listen(Number(values.port), "127.0.0.1", () => console.log(`ready ${issuer}`));
