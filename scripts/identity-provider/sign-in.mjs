// Signs a development user in at the local provider the way a browser app does (authorization
// code with PKCE, public client, no secret) and prints the access token: an end user's token
// for scripts (scripts/idp.sh token --user) and the tests.
//
//   node sign-in.mjs --issuer http://127.0.0.1:55600 --user ada [--password development] [--scope users:self]
import { createHash, randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    issuer: { type: "string" },
    user: { type: "string" },
    password: { type: "string", default: "development" },
    scope: { type: "string", default: "" },
    "client-id": { type: "string", default: "backendservice-swagger" },
    "redirect-uri": { type: "string", default: "http://127.0.0.1/swagger/oauth2-redirect.html" },
  },
});

const fail = (message) => {
  console.error(`sign-in: ${message}`);
  process.exit(1);
};
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");
const state = randomBytes(16).toString("base64url");
const cookies = new Map();

async function send(url, init = {}) {
  const response = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...init.headers, cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const at = pair.indexOf("=");
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return response;
}

const authorize = new URL(`${values.issuer}/auth`);
authorize.search = new URLSearchParams({
  client_id: values["client-id"],
  response_type: "code",
  redirect_uri: values["redirect-uri"],
  scope: `openid ${values.scope}`.trim(),
  code_challenge: challenge,
  code_challenge_method: "S256",
  state,
}).toString();

// Follow the provider's redirects; answer its login form; stop at the redirect URI.
let response = await send(authorize);
let signedIn = false;
for (let step = 0; step < 10; step++) {
  const location = response.headers.get("location");
  if (location?.startsWith(values["redirect-uri"])) {
    const back = new URL(location).searchParams;
    if (back.get("state") !== state) fail("the state came back changed");
    if (!back.get("code")) fail(`no code: ${back.get("error")} ${back.get("error_description") ?? ""}`);
    const token = await send(`${values.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: back.get("code"),
        redirect_uri: values["redirect-uri"],
        client_id: values["client-id"],
        code_verifier: verifier,
      }),
    });
    const body = await token.json();
    if (!token.ok) fail(`token endpoint: ${token.status} ${JSON.stringify(body)}`);
    console.log(body.access_token);
    process.exit(0);
  }
  if (location) {
    response = await send(new URL(location, values.issuer));
    continue;
  }
  const page = await response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (response.status === 401 || !action || signedIn) fail(`the provider refused the sign-in (${response.status})`);
  signedIn = true;
  response = await send(new URL(action.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(c)), values.issuer), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: values.user, password: values.password }),
  });
}
fail("too many redirects");
