// This device's side of the session, wired up by main.tsx: the service worker (registered on load), push
// kept in step after READY, the presence the server uses to decide whether to push (`afk` while the tab is
// hidden), the network state, and the view saved for offline (restored when the server cannot be reached at
// start).

import type { Gateway, GatewayStatus } from '../gateway/client';
import { backOnline, restoreView, scheduleSave, stopSaving, watchNetwork, watchView } from './offline';
import { bindPresence, sendPresence, STATUS_KEY } from './presence';
import { dropPushForLogout, syncPush } from './push';
import { state } from './store';
import { forgetUser, registerWorker, tellUser } from './worker';

/** Dispatches after which the saved view is out of date. */
const VIEW_CHANGES = new Set([
  'CHANNEL_CREATE',
  'CHANNEL_UPDATE',
  'CHANNEL_DELETE',
  'GUILD_ROLE_UPDATE',
  'USER_GUILD_SETTINGS_UPDATE',
  'USER_UPDATE',
]);

export function startDevice(gateway: Gateway): void {
  bindPresence(gateway);
  registerWorker(() => {
    if (state.me) void syncPush(state.me.id);
  });
  watchNetwork();
  watchView();
  document.addEventListener('visibilitychange', () => sendPresence());
  if (!navigator.onLine) void restoreView();
}

/** Dispatches that change the open channel's messages (kept in the view). */
const MESSAGE_CHANGES = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);

/** After the state applied a dispatch. */
export function afterDispatch(type: string, data: unknown): void {
  if (type === 'READY') {
    backOnline();
    const me = state.me;
    if (me) {
      tellUser(me.id);
      void syncPush(me.id);
    }
    // IDENTIFY carried it too; opcode 3 says it again for a tab hidden from the start.
    if (document.visibilityState === 'hidden') sendPresence(true);
  } else if (type === 'RESUMED') {
    // Visibility may have changed while the connection was down.
    sendPresence();
  } else if (type === 'GUILD_CREATE') {
    scheduleSave(1000);
  } else if (VIEW_CHANGES.has(type)) {
    scheduleSave(5000);
  } else if (MESSAGE_CHANGES.has(type) && (data as { channel_id?: string } | null)?.channel_id === state.activeChannel) {
    scheduleSave(5000);
  }
}

/** After the gateway's status changed: no answer from the server before READY shows the saved view. */
export function afterStatus(status: GatewayStatus): void {
  if ((status === 'reconnecting' || status === 'failed') && !state.me) void restoreView();
}

/** Before the logout form posts: the server and the browser drop this device's push subscription, and the
 *  worker and the page delete every cache of private data. At most three seconds: logging out never hangs. */
export async function beforeLogout(): Promise<void> {
  stopSaving();
  localStorage.removeItem(STATUS_KEY);
  const timeout = new Promise<void>((resolve) => window.setTimeout(resolve, 3000));
  await Promise.race([Promise.all([dropPushForLogout(), forgetUser()]), timeout]);
}
