// What opens the popups that load on demand (`onDemand.ts`): a person's card, a message's action sheet (a long
// press) and the Apps menu. The opening and their state live here, so that what opens them (a message, the
// member list) does not bring the popups themselves into the first load; App.tsx renders each while it is open.

import type { TargetedMouseEvent } from 'preact';
import type { Message, Snowflake, User } from '../api/types';
import { changed, state, update } from '../state/store';

/** Opens a person's card (`ProfileCard.tsx`) beside what was clicked; `user` is who they are when the client
 *  knows them from nowhere else (someone brought in from a Discord export, known from their message). */
export function openProfile(userId: Snowflake, e: TargetedMouseEvent<HTMLElement>, user?: User): void {
  const box = e.currentTarget.getBoundingClientRect();
  update((s) => {
    s.profile = { userId, user, left: box.left, right: box.right, top: box.top };
  });
}

let sheet: { message: Message; inThread: boolean } | null = null;

/** Opens the action sheet for a message (a long press on it, `MessageSheet.tsx`). */
export function openActions(message: Message, inThread: boolean): void {
  sheet = { message, inThread };
  changed();
}

export function closeActions(): void {
  sheet = null;
  changed();
}

/** The message whose action sheet is open. */
export function openSheet(): typeof sheet {
  return sheet;
}

export type AppsTarget = { kind: 'message'; message: Message } | { kind: 'user'; userId: Snowflake; channelId: Snowflake };

let apps: { target: AppsTarget; at: { x: number; y: number } | null } | null = null;

/** Opens the Apps menu (`AppsMenu.tsx`) for a message or a person: beside the clicked control or the pointer,
 *  or as a sheet (on phones, or without an event to place it by). */
export function openApps(target: AppsTarget, e?: Event): void {
  let at: { x: number; y: number } | null = null;
  if (e instanceof MouseEvent && !state.narrow) {
    if (e.type === 'contextmenu') at = { x: e.clientX, y: e.clientY };
    else if (e.currentTarget instanceof Element) {
      const box = e.currentTarget.getBoundingClientRect();
      at = { x: box.left, y: box.bottom + 4 };
    }
  }
  apps = { target, at };
  changed();
}

export function closeApps(): void {
  apps = null;
  changed();
}

/** The open Apps menu's target and place. */
export function openAppsMenu(): typeof apps {
  return apps;
}
