// A real OpenID Connect provider (panva/oidc-provider) for local runs and the security tests.
// One confidential client may use the client-credentials grant for the API's scopes; access
// tokens are RS256 JWTs (RFC 9068) whose audience is the API.
//
//   node provider.mjs --port 55600 --jwks keys.json [--audience api://backendservice] [--scopes "a:read b:write"]
//
// The API's scopes: those of --scopes when given; otherwise any scope of the form
// resource:action that a token request asks for, so a new resource's scopes work without an
// edit here (scripts/run.sh asks for the scopes the API declares: BackendService.Api --print-scopes).
//
// keys.json holds {"keys": [private RSA JWKs]}: the first signs, all are published. It is
// created (one new key) when missing. Restarting with another first key is a key rotation.
// Prints "ready <issuer>" once it listens.
import { generateKeyPairSync, randomUUID } from "node:crypto";
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
    scopes: { type: "string" },
  },
});

const declared = values.scopes ? values.scopes.split(/\s+/).filter(Boolean) : null;
const apiScope = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
const requestedApiScopes = (ctx) =>
  String(ctx.oidc.params?.scope ?? "").split(" ").filter((scope) => (declared ? declared.includes(scope) : apiScope.test(scope)));
const issuer = `http://127.0.0.1:${values.port}`;

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
  ],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => values.audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx) => ({
        scope: requestedApiScopes(ctx).join(" "),
        audience: values.audience,
        accessTokenTTL: 3600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
});

provider.listen(Number(values.port), "127.0.0.1", () => console.log(`ready ${issuer}`));
