// Web Push on this device: subscribing the service worker's push manager with the server's VAPID key and
// handing the subscription to the server (`/users/@me/push`, one per login session), turning it off, and
// keeping the two in step on load. The browser's permission prompt only ever follows a click
// (`enablePush`). While push is on here the in-tab notifications stay quiet: the server pushes to this device
// when the tab is in the background, and the worker shows those.

import { ApiError, api } from '../api/rest';
import type { PushState } from '../api/types';
import { activeRegistration, workerSupported } from './worker';

const PATH = '/users/@me/push';
/** Who turned push on in this browser: a kept subscription is only ever registered again for them. */
const OWNER = 'spot.push.user';

export type PushStatus = 'on' | 'off' | 'blocked' | 'unsupported';

/** Why this browser cannot do push here, or null when it can. */
export function pushUnsupported(): string | null {
  if (!window.isSecureContext) return 'Push notifications need a secure (https) connection to this server.';
  if (!workerSupported() || !('PushManager' in window)) return 'This browser does not support push notifications.';
  if (!('Notification' in window)) return 'This browser does not support notifications.';
  return null;
}

let onHere = false;

/** Whether push is on for this device (as last seen): the in-tab notifications then stay quiet. */
export function pushOnHere(): boolean {
  return onHere && 'Notification' in window && Notification.permission === 'granted';
}

/** The VAPID key as the push manager wants it: the bytes of the base64url text. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options.applicationServerKey;
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

async function subscription(): Promise<PushSubscription | null> {
  const registration = await activeRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** The state to show: on (this browser has a subscription the server knows), off, blocked, unsupported. */
export async function readPush(): Promise<PushStatus> {
  if (pushUnsupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  try {
    const [server, local] = await Promise.all([api<PushState>('GET', PATH), subscription()]);
    onHere = server.subscribed && !!local && Notification.permission === 'granted';
  } catch {
    onHere = false;
  }
  return onHere ? 'on' : 'off';
}

/** After a click: asks for the permission, subscribes with the server's key and registers the subscription.
 *  Resolves to the new state; throws (with a message to show) when something refused. */
export async function enablePush(userId: string): Promise<PushStatus> {
  const unsupported = pushUnsupported();
  if (unsupported) throw new Error(unsupported);
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return 'blocked';
  if (permission !== 'granted') return 'off';
  const { public_key } = await api<PushState>('GET', PATH);
  const key = keyBytes(public_key);
  const registration = await activeRegistration();
  if (!registration) throw new Error('The service worker is not running; reload the page and try again.');
  let current = await registration.pushManager.getSubscription();
  if (current && !sameKey(current, key)) {
    // Subscribed under another key (the server's keys changed): the old one can no longer be used.
    await current.unsubscribe();
    current = null;
  }
  try {
    current ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The browser's push service refused: ${reason}`);
  }
  await api('POST', PATH, current.toJSON());
  localStorage.setItem(OWNER, userId);
  onHere = true;
  return 'on';
}

/** Turns push off for this device: the server forgets this session's subscription, the browser drops it. */
export async function disablePush(): Promise<PushStatus> {
  onHere = false;
  localStorage.removeItem(OWNER);
  await api('DELETE', PATH).catch((error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  });
  await (await subscription())?.unsubscribe();
  return 'off';
}

/** Before logging out: both sides forget the subscription (quietly; the server drops it with the session too). */
export async function dropPushForLogout(): Promise<void> {
  onHere = false;
  localStorage.removeItem(OWNER);
  if (pushUnsupported()) return;
  await api('DELETE', PATH).catch(() => undefined);
  const local = await subscription().catch(() => null);
  await local?.unsubscribe().catch(() => false);
}

/** After READY: a subscription this browser kept for this user (a new login session on the same device) is
 *  registered again for this session; one kept for someone else, or without the permission, is dropped. */
export async function syncPush(userId: string): Promise<void> {
  if (pushUnsupported()) return;
  const local = await subscription().catch(() => null);
  if (!local) return;
  if (Notification.permission !== 'granted' || localStorage.getItem(OWNER) !== userId) {
    onHere = false;
    await local.unsubscribe().catch(() => false);
    return;
  }
  try {
    const server = await api<PushState>('GET', PATH);
    if (!sameKey(local, keyBytes(server.public_key))) {
      await local.unsubscribe();
      await api('DELETE', PATH).catch(() => undefined);
      onHere = false;
      return;
    }
    if (!server.subscribed) await api('POST', PATH, local.toJSON());
    onHere = true;
  } catch {
    onHere = false;
  }
}
