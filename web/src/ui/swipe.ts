// Swipes on a phone, for the drawers: a quick horizontal swipe to the right opens the channel drawer (or closes
// the member drawer), one to the left opens the member drawer where the screen has a member list (a channel, a
// group DM) or closes the channel drawer. Sliders, text boxes, things that scroll sideways, dialogs, sheets and
// full-screen panels keep their own gestures. The header's buttons still open both drawers with a tap.

import { isGroup } from '../state/private';
import { state, update } from '../state/store';
import { PHONE, matches } from './media';

/** How far (px) and how quickly (ms) a finger must go for a swipe. */
const DISTANCE = 60;
const TIME = 800;

/** Where a swipe is not for the drawers: controls and sideways scrollers, and what covers the whole screen on a
 *  phone (dialogs, sheets, an open thread or side panel). */
const OWN_GESTURES =
  'input, textarea, select, .codeblock, .spotlight-strip, .modal-backdrop, .sheet-backdrop, .popover-backdrop, ' +
  '.picker, .pop-menu, .thread-view, .panel';

let start: { x: number; y: number; at: number } | null = null;

/** Whether the screen has a member list to show: a text channel, or a group DM (not a voice room or a DM). */
function hasMembers(): boolean {
  const id = state.activeChannel;
  if (state.stage || !id) return false;
  const conversation = state.privateChannels.get(id);
  return conversation ? isGroup(conversation) : state.channels.has(id);
}

function onStart(e: TouchEvent): void {
  start = null;
  const target = e.target instanceof Element ? e.target : null;
  if (e.touches.length !== 1 || !matches(PHONE) || target?.closest(OWN_GESTURES)) return;
  if (state.modal || state.dialog || state.dmDialog || state.profile) return;
  const t = e.touches[0];
  start = { x: t.clientX, y: t.clientY, at: e.timeStamp };
}

function onEnd(e: TouchEvent): void {
  const from = start;
  start = null;
  const t = e.changedTouches[0];
  if (!from || !t) return;
  const dx = t.clientX - from.x;
  const dy = t.clientY - from.y;
  if (Math.abs(dx) < DISTANCE || Math.abs(dx) < 2 * Math.abs(dy) || e.timeStamp - from.at > TIME) return;
  update((s) => {
    if (dx > 0) s.drawer = s.drawer === 'members' ? null : 'channels';
    else if (s.drawer === 'channels') s.drawer = null;
    else if (!s.drawer && hasMembers()) s.drawer = 'members';
  });
}

export function bindSwipes(): void {
  document.addEventListener('touchstart', onStart, { passive: true });
  document.addEventListener('touchend', onEnd, { passive: true });
  document.addEventListener('touchcancel', () => {
    start = null;
  });
}
