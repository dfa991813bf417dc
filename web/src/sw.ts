/// <reference lib="webworker" />
// The service worker, bundled on its own by build.mjs into sw.js and served at /sw.js (scope /). It
// - keeps the app shell (the build's script, its chunks but livekit-client's, the stylesheet, spot.css, the
//   favicon: `__SHELL__`, injected at build time) in a cache named after the build (`__VERSION__`), so the app
//   opens at once and offline, UI loaded on demand included; other content-hashed files under /assets/ are
//   kept as they load;
// - answers navigations to the app (/ and /channels/…) from the network, keeping the last page for offline;
// - answers the API reads the client needs to show the last-opened channel (messages, the user, a channel,
//   pins) from the network, keeping each answer in the logged-in user's own cache (`spot-data-<user id>`, the
//   page names the user after READY) to fall back on offline. One user's data is never shown to another:
//   logging out, the login and sign-up pages, a 401 and a page naming another user all delete it;
// - shows Web Push notifications (the payload is `PushPayload`) and, on a click, focuses a spot tab and has it
//   open the message (or opens a new window there).

import type { PushPayload } from './api/types';

declare const self: ServiceWorkerGlobalScope;
/** The app shell's URLs, from the build (build.mjs). */
declare const __SHELL__: string[];
/** A hash of the shell's names and contents: a new build gets new caches and the old ones are deleted. */
declare const __VERSION__: string;

const SHELL = `spot-shell-${__VERSION__}`;
const PAGE = `spot-page-${__VERSION__}`;
const DATA = 'spot-data-';
/** The app page is the same for every path it is served at: one copy, under this key. */
const PAGE_KEY = '/__spot/app.html';

/** API reads kept for offline: a channel's messages, pins and itself, and the user. */
const KEPT_API = /^\/api\/v10\/(?:channels\/\d+(?:\/messages|\/pins)?|users\/@me(?:\/guilds)?)$/;
/** Pages that mean nobody is logged in, or someone else is about to be: private data goes first. */
const LOGGED_OUT = /^\/(?:login|logout(?:\/everywhere)?|invite\/.*)$/;
const HASHED = /\.[0-9A-Za-z]{8,}\.[a-z0-9]+$/;

function isAppPath(path: string): boolean {
  return path === '/' || path.startsWith('/channels/');
}

/** The logged-in user's data cache, as named by the page (kept only in memory: the worker may be stopped at
 *  any time, so otherwise it is the one `spot-data-*` cache there is). */
let dataName: string | null = null;

async function currentData(): Promise<string | null> {
  if (dataName) return dataName;
  const names = (await caches.keys()).filter((name) => name.startsWith(DATA));
  dataName = names.length === 1 ? names[0] : null;
  return dataName;
}

/** Deletes every cache of private data (API answers, the saved view, the app page). */
async function dropPrivate(): Promise<void> {
  dataName = null;
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith(DATA) || name.startsWith('spot-page-')).map((name) => caches.delete(name)),
  );
}

/** The page says who is logged in: any other user's data goes, and the app page is kept if it is not yet
 *  (the first one loaded before this worker was in charge). */
async function setUser(id: string): Promise<void> {
  const mine = `${DATA}${id}`;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(DATA) && name !== mine).map((name) => caches.delete(name)));
  dataName = mine;
  // Made now, so that a restarted worker finds it as the one data cache.
  await caches.open(mine);
  const pages = await caches.open(PAGE);
  if (await pages.match(PAGE_KEY)) return;
  try {
    const response = await fetch('/', { credentials: 'same-origin', redirect: 'manual' });
    if (response.ok && response.type === 'basic') await pages.put(PAGE_KEY, response);
  } catch {
    // Offline already: the next load keeps it.
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(__SHELL__.map((url) => new Request(url, { cache: 'no-cache' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const old = names.filter(
        (name) => (name.startsWith('spot-shell-') && name !== SHELL) || (name.startsWith('spot-page-') && name !== PAGE),
      );
      await Promise.all(old.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

function offlinePage(): Response {
  const html =
    '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Offline · spot</title><p>You are offline, and spot has not been opened on this device yet.</p>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function offlineJson(): Response {
  const body = { code: 0, message: 'You are offline, and this was not loaded before.' };
  return new Response(JSON.stringify(body), { status: 503, headers: { 'Content-Type': 'application/json' } });
}

/** The app page: the network's, kept for offline; the kept one when the network fails. */
async function appPage(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.type === 'opaqueredirect' || response.redirected) {
      // A stranger is sent to the login page: whatever was kept belongs to someone else.
      await dropPrivate();
    } else if (response.ok) {
      await (await caches.open(PAGE)).put(PAGE_KEY, response.clone());
    }
    return response;
  } catch {
    return (await (await caches.open(PAGE)).match(PAGE_KEY)) ?? offlinePage();
  }
}

/** Files under /assets/: the shell and content-hashed files from the cache first (they never change under
 *  their name); the rest from the network, the kept copy when it fails. */
async function asset(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(SHELL);
  const fixed = HASHED.test(path) || __SHELL__.includes(path);
  if (fixed) {
    const kept = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (kept) return kept;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch {
    return (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ?? Response.error();
  }
}

/** An API read: the network's answer, kept in the user's cache; the kept one when the network fails. */
async function apiRead(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.status === 401) {
      await dropPrivate();
    } else if (response.ok) {
      const name = await currentData();
      if (name) await (await caches.open(name)).put(request, response.clone());
    }
    return response;
  } catch {
    const name = await currentData();
    const kept = name ? await (await caches.open(name)).match(request, { ignoreVary: true }) : undefined;
    return kept ?? offlineJson();
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && LOGGED_OUT.test(url.pathname)) {
    event.waitUntil(dropPrivate());
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    if (isAppPath(url.pathname)) event.respondWith(appPage(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request, url.pathname));
  } else if (KEPT_API.test(url.pathname)) {
    event.respondWith(apiRead(request));
  }
});

self.addEventListener('message', (event) => {
  const data = event.data as { type?: string; id?: unknown } | null;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      if (data?.type === 'logout') await dropPrivate();
      else if (data?.type === 'user' && typeof data.id === 'string' && /^\d+$/.test(data.id)) await setUser(data.id);
      port?.postMessage({ done: true });
    })(),
  );
});

/** Notification options browsers take beyond TypeScript's list. */
type Options = NotificationOptions & { renotify?: boolean; timestamp?: number };

function isPayload(value: unknown): value is PushPayload {
  const p = value as PushPayload | null;
  return !!p && typeof p.title === 'string' && typeof p.body === 'string' && typeof p.url === 'string';
}

self.addEventListener('push', (event) => {
  let payload: unknown = null;
  try {
    payload = event.data?.json() ?? null;
  } catch {
    payload = null;
  }
  // A push must show a notification; one that cannot be read shows a plain one.
  if (!isPayload(payload)) {
    event.waitUntil(self.registration.showNotification('New activity', { body: 'Open spot to see it.', tag: 'spot', data: { url: '/' } }));
    return;
  }
  const call = payload.kind === 'call';
  const options: Options = {
    body: payload.body,
    tag: payload.tag || (call ? 'call' : ''),
    data: { url: payload.url },
    renotify: call,
    requireInteraction: call,
  };
  if (payload.icon) options.icon = payload.icon;
  if (typeof payload.timestamp === 'number') options.timestamp = payload.timestamp;
  event.waitUntil(self.registration.showNotification(payload.title, options));
});

/** Where a notification points, on this origin only. */
function target(data: unknown): string {
  const raw = (data as { url?: unknown } | null)?.url;
  try {
    const url = new URL(typeof raw === 'string' ? raw : '/', self.location.origin);
    return url.origin === self.location.origin ? url.pathname + url.search : '/';
  } catch {
    return '/';
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = target(event.notification.data);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const app = windows.filter((c) => isAppPath(new URL(c.url).pathname));
      const tab = app.find((c) => c.focused) ?? app.find((c) => c.visibilityState === 'visible') ?? app[0];
      if (!tab) {
        await self.clients.openWindow(url);
        return;
      }
      const focused = await tab.focus().catch(() => tab);
      focused.postMessage({ type: 'open', url });
    })(),
  );
});

self.addEventListener('pushsubscriptionchange', (event) => {
  // The page registers the browser's new subscription with the server (state/push.ts, syncPush).
  event.waitUntil(
    (async () => {
      for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'resubscribe' });
    })(),
  );
});
