// This user's own presence: the status they chose (online, idle, Do Not Disturb, invisible; remembered in
// localStorage, sent at IDENTIFY and with opcode 3) and whether this tab is in the background (`afk: true`),
// which tells the server to push notifications instead (it pushes nothing while one of the user's tabs is
// visible). Do Not Disturb also silences the in-tab notifications (`notifySettings.shouldNotify`).

import type { Gateway } from '../gateway/client';
import { state, update } from './store';

/** Where the chosen status is remembered (forgotten at logout). */
export const STATUS_KEY = 'spot.status';

export type Status = 'online' | 'idle' | 'dnd' | 'invisible';

export const STATUSES: [Status, string, string][] = [
  ['online', 'Online', ''],
  ['idle', 'Idle', ''],
  ['dnd', 'Do Not Disturb', 'You will not receive notifications.'],
  ['invisible', 'Invisible', 'You will appear offline, with full access.'],
];

function saved(): Status {
  const value = localStorage.getItem(STATUS_KEY);
  return STATUSES.some(([s]) => s === value) ? (value as Status) : 'online';
}

state.myStatus = saved();

let gateway: Gateway | null = null;
/** What this connection last told the server (IDENTIFY or opcode 3); a RESUME keeps it. */
let told = '';

function current(): { status: Status; afk: boolean } {
  return { status: state.myStatus as Status, afk: document.visibilityState === 'hidden' };
}

/** What IDENTIFY carries (the gateway asks at each IDENTIFY). */
export function presence(): { status: Status; afk: boolean } {
  const now = current();
  told = JSON.stringify(now);
  return now;
}

export function bindPresence(g: Gateway): void {
  gateway = g;
}

/** Sends the current presence (status and background) over the gateway, unless the server has it already
 *  (`force`: even then). */
export function sendPresence(force = false): void {
  const now = current();
  const text = JSON.stringify(now);
  if (text === told && !force) return;
  if (gateway?.setPresence(now.status, now.afk)) told = text;
}

export function setStatus(status: Status): void {
  localStorage.setItem(STATUS_KEY, status);
  update((s) => {
    s.myStatus = status;
  });
  sendPresence();
}

/** How this user's own avatar shows the status (invisible looks offline). */
export function ownStatusClass(status: string): string {
  return status === 'invisible' ? 'offline' : status;
}
