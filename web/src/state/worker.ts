// The page's side of the service worker (src/sw.ts, served at /sw.js with scope /): registering it on load,
// telling it whose API answers it may keep (after READY), clearing every cache of private data before a
// logout, and following the notifications it opens (a click on a push focuses this tab and routes here, in the
// app, instead of reloading).

import type { Snowflake } from '../api/types';
import { jumpTo, openChannel } from './actions';
import { state } from './store';

export function workerSupported(): boolean {
  return 'serviceWorker' in navigator && window.isSecureContext;
}

/** Registers /sw.js and listens to it (`onResubscribe`: the browser replaced the push subscription). Never
 *  asks for any permission. */
export function registerWorker(onResubscribe: () => void): void {
  if (!workerSupported()) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; url?: string } | null;
    if (data?.type === 'open' && typeof data.url === 'string') routeTo(data.url);
    else if (data?.type === 'resubscribe') onResubscribe();
  });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    console.warn('The service worker could not be registered:', error);
  });
}

/** The registration once its worker is active, or null (unsupported, or not active within `ms`). */
export async function activeRegistration(ms = 10_000): Promise<ServiceWorkerRegistration | null> {
  if (!workerSupported()) return null;
  let timer: number | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = window.setTimeout(() => resolve(null), ms);
  });
  try {
    if (!(await navigator.serviceWorker.getRegistration('/'))) {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    }
    return await Promise.race([navigator.serviceWorker.ready, timeout]);
  } catch {
    return null;
  } finally {
    window.clearTimeout(timer);
  }
}

/** Posts to the active worker and waits (at most `ms`) for its answer on a private channel. */
async function ask(message: unknown, ms = 2000): Promise<void> {
  const registration = await activeRegistration(ms);
  const worker = registration?.active;
  if (!worker) return;
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    const timer = window.setTimeout(resolve, ms);
    channel.port1.onmessage = () => {
      window.clearTimeout(timer);
      resolve();
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/** Tells the worker who is logged in (it drops another user's saved answers, and keeps the app page if it
 *  has none: the first page was loaded before the worker was in charge). */
export function tellUser(id: Snowflake): void {
  void ask({ type: 'user', id }, 20_000);
}

/** The caches holding private data: API answers and the saved view (`spot-data-*`), the app page (`spot-page-*`). */
export function isPrivateCache(name: string): boolean {
  return name.startsWith('spot-data-') || name.startsWith('spot-page-');
}

/** Before logging out: the worker forgets the user and every private cache is deleted (by the page too, in
 *  case the worker is not running). */
export async function forgetUser(): Promise<void> {
  await ask({ type: 'logout' });
  if (!('caches' in window)) return;
  try {
    const names = await caches.keys();
    await Promise.all(names.filter(isPrivateCache).map((name) => caches.delete(name)));
  } catch {
    // Storage may be unavailable (a private window); nothing was saved then.
  }
}

/** Opens what a notification points at: `/channels/{guild|@me}/{channel}[/{message}]`. */
export function routeTo(url: string): void {
  let path: string;
  try {
    path = new URL(url, window.location.origin).pathname;
  } catch {
    return;
  }
  const match = /^\/channels\/[^/]+\/(\d+)(?:\/(\d+))?/.exec(path);
  const channelId = match?.[1];
  if (!channelId) return;
  const known = state.channels.has(channelId) || state.privateChannels.has(channelId);
  if (!known) {
    // A conversation this page has not heard of yet: load the page there.
    window.location.assign(path);
    return;
  }
  if (match[2]) void jumpTo(channelId, match[2]);
  else openChannel(channelId);
}
