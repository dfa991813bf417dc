// The REST client: every call goes to /api/v10 with the session cookie and the CSRF token (read from the
// readable `spot_csrf` cookie, as src/http/csrf.rs expects). Errors become `ApiError` with the server's message.
// Uploads (multipart forms) go through XHR because fetch cannot report upload progress.

import type { ErrorBody } from './types';

export const API = '/api/v10';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Seconds to wait, from a 429's `retry_after`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'spot_csrf') return decodeURIComponent(rest.join('='));
  }
  return '';
}

function errorFrom(status: number, body: unknown): ApiError {
  const err = body as (Partial<ErrorBody> & { retry_after?: number }) | null;
  const detail = describeFieldErrors(err?.errors);
  const message = (err?.message ?? `Request failed (${status})`) + (detail ? `: ${detail}` : '');
  return new ApiError(status, err?.code ?? 0, message, err?.retry_after);
}

/** Discord nests field errors as `{field: {_errors: [{message}]}}`; flatten the first few into one line. */
function describeFieldErrors(errors: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object' || out.length > 3) return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record._errors)) {
      for (const e of record._errors as { message?: string }[]) out.push(`${path}: ${e.message ?? ''}`);
      return;
    }
    for (const [key, value] of Object.entries(record)) walk(value, path ? `${path}.${key}` : key);
  };
  walk(errors, '');
  return out.join('; ');
}

/** How many times a rate-limited call is retried after the server's `retry_after`. */
const RATE_LIMIT_RETRIES = 3;

/**
 * One API call. Resolves to the parsed JSON (or null for 204); rejects with `ApiError`. A 429 is retried after
 * the wait the server names, as Discord's own clients do (`apiOnce`: never, the caller tells the user).
 */
export async function api<T>(method: string, path: string, body?: unknown, attempt = 0): Promise<T> {
  const headers: Record<string, string> = { 'X-CSRF-Token': csrfToken() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 0, 'The server cannot be reached.');
  }
  if (response.status === 401) {
    window.location.assign('/login');
    throw new ApiError(401, 0, 'Your session ended; log in again.');
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (response.status === 429 && attempt < RATE_LIMIT_RETRIES) {
    const wait = Number((parsed as { retry_after?: number } | null)?.retry_after ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(10, Math.max(0.1, wait)) * 1000));
    return api<T>(method, path, body, attempt + 1);
  }
  if (!response.ok) throw errorFrom(response.status, parsed);
  return parsed as T;
}

/** One API call whose 429 is an answer to show (a cooldown), not a wait to sit out. */
export function apiOnce<T>(method: string, path: string, body?: unknown): Promise<T> {
  return api<T>(method, path, body, RATE_LIMIT_RETRIES);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Sends a message with files as Discord does (multipart: `payload_json` + `files[n]`), reporting progress 0..1. */
export function upload<T>(
  path: string,
  payload: unknown,
  files: File[],
  onProgress: (fraction: number) => void,
): { done: Promise<T>; abort: () => void } {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  files.forEach((file, i) => form.append(`files[${i}]`, file, file.name));
  return postForm<T>(path, form, onProgress);
}

/** Posts a multipart form (a message with files, a sticker), reporting progress 0..1. */
export function postForm<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void = () => undefined,
): { done: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', API + path);
    xhr.setRequestHeader('X-CSRF-Token', csrfToken());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const parsed = safeJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else if (xhr.status === 413) reject(new ApiError(413, 40005, 'That file is too large for this server.'));
      else reject(errorFrom(xhr.status, parsed));
    };
    xhr.onerror = () => reject(new ApiError(0, 0, 'The upload failed: the server cannot be reached.'));
    xhr.onabort = () => reject(new ApiError(0, 0, 'Upload cancelled.'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
