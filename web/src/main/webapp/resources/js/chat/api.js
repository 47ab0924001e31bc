// The REST API as the chat page calls it: a short-lived access token from the login session (fetched
// again shortly before it ends), JSON in and out, and failures as ApiError with the problem's code.

/** A refused or failed call: the HTTP status (0: no answer) and the problem's code. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || "HTTP " + status);
    this.status = status;
    this.code = problem.code || (problem.type ? problem.type.split("/").pop() : "http-" + status);
  }
}

async function problemOf(response) {
  try {
    return new ApiError(response.status, await response.json());
  } catch (ignored) {
    return new ApiError(response.status, {});
  }
}

/**
 * A client of the API at {@code base}, its token from {@code tokenUrl} (the session's); a call
 * gives the {@code signal} that may abort it (a streamed reply's stop).
 */
export function apiClient(base, tokenUrl) {
  let token = null;
  let tokenValidUntil = 0;

  async function accessToken() {
    if (token && Date.now() < tokenValidUntil) {
      return token;
    }
    const response = await fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" });
    const type = response.headers.get("content-type") || "";
    if (!response.ok || !type.includes("json")) {
      // the session ended (the login page answered): start again from the login page
      window.location.reload();
      throw new ApiError(401, { code: "session" });
    }
    const issued = await response.json();
    token = issued.accessToken;
    tokenValidUntil = Date.now() + Math.max(10, issued.expiresIn - 60) * 1000;
    return token;
  }

  async function request(method, path, body, accept, signal, extraHeaders) {
    const headers = { ...extraHeaders, Authorization: "Bearer " + (await accessToken()), Accept: accept || "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (e) {
      if (e.name === "AbortError") {
        throw e;
      }
      throw new ApiError(0, { code: "network", detail: e.message });
    }
    if (!response.ok) {
      throw await problemOf(response);
    }
    return response;
  }

  async function call(method, path, body) {
    const response = await request(method, path, body);
    return response.status === 204 ? null : response.json();
  }

  /** Uploads a file (a Blob) as the request body; the answer's JSON. */
  async function upload(path, blob) {
    let response;
    try {
      response = await fetch(base + path, {
        method: "POST",
        headers: {
          Authorization: "Bearer " + (await accessToken()),
          Accept: "application/json",
          "Content-Type": blob.type || "application/octet-stream",
        },
        body: blob,
      });
    } catch (e) {
      throw new ApiError(0, { code: "network", detail: e.message });
    }
    if (!response.ok) {
      throw await problemOf(response);
    }
    return response.json();
  }

  return { request, call, upload };
}
