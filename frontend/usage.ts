// What a frontend team writes against the generated types: create a user, then fetch it.
// Type-checked in CI (tsc --noEmit); a document that loses a field or a status breaks this.
// Every call carries an access token from the service's OpenID Connect issuer (locally:
// scripts/idp.sh token); 401 means no valid token, 403 a missing scope.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api";

type User = components["schemas"]["UserResponse"];
type Problem = components["schemas"]["ProblemDetails"];

const api = (accessToken: string) =>
  createClient<paths>({ baseUrl: "http://localhost:8080", headers: { Authorization: `Bearer ${accessToken}` } });

// idempotencyKey: one per user you mean to create (a UUID), sent again unchanged when you retry
// after a timeout; the retry then gets the first answer (Idempotent-Replayed: true), never a
// 409 for your own create. The same key with another body is a 422.
export async function createAndFetch(accessToken: string, email: string, name: string, idempotencyKey: string): Promise<User> {
  const created = await api(accessToken).POST("/api/v1/users", {
    body: { email, name },
    params: { header: { "Idempotency-Key": idempotencyKey } },
  });
  if (created.error) {
    const problem: Problem = created.error;
    throw new Error(`${problem.status}: ${problem.detail ?? problem.title}`);
  }

  const id: string = created.data.id;
  const fetched = await api(accessToken).GET("/api/v1/users/{id}", { params: { path: { id } } });
  if (fetched.error) {
    throw new Error(`${fetched.error.status}: ${fetched.error.title}`);
  }

  const user: User = fetched.data;
  const when: string = user.createdAt;
  console.log(`${user.email} created at ${when}`);
  return user;
}

export async function firstPage(accessToken: string, limit: number): Promise<User[]> {
  const page = await api(accessToken).GET("/api/v1/users", { params: { query: { limit } } });
  return page.data ?? [];
}

// An end user's own record, with their own token (scope users:self, from a sign-in with PKCE):
// null until they create it (404), which they do once with POST /api/v1/users/me.
export async function myRecord(accessToken: string): Promise<User | null> {
  const mine = await api(accessToken).GET("/api/v1/users/me");
  if (mine.response.status === 404) {
    return null;
  }

  if (mine.error) {
    throw new Error(`${mine.error.status}: ${mine.error.title}`);
  }

  const bound: boolean = mine.data.boundToIdentity;
  console.log(`${mine.data.email} is ${bound ? "bound to you" : "not bound"}`);
  return mine.data;
}
