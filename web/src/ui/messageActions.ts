// What one can do with a message, as one list for the hover toolbar (MessageRow.tsx) and the long-press sheet
// on touch screens (MessageSheet.tsx): react, reply, start a thread, pin, edit, delete, and the applications'
// message commands (Apps). In a DM there are no threads, anyone may pin, and nobody moderates. A message only
// this user sees (an application's ephemeral answer) can only be dismissed.

import type { Message } from '../api/types';
import { setPinned } from '../state/actions';
import { dismissEphemeral, isEphemeral } from '../state/interactions';
import { isPrivate } from '../state/private';
import { Perm, can, state, update } from '../state/store';
import { openApps } from './popups';
import type { IconName } from './Icon';

export interface MessageAction {
  label: string;
  icon: IconName;
  /** Given the click's event when there is one (the Apps menu opens beside it). */
  run: (e?: Event) => void;
  danger?: boolean;
}

export function messageActions(message: Message, inThread: boolean, onReact: () => void): MessageAction[] {
  if (isEphemeral(message)) {
    return [{ label: 'Dismiss message', icon: 'close', run: () => dismissEphemeral(message) }];
  }
  const mine = message.author.id === state.me?.id;
  const conversation = isPrivate(message.channel_id);
  // Nobody moderates a DM (the space's permissions do not reach it), and everyone in it may pin.
  const moderator = !conversation && can(Perm.ManageMessages);
  const pins = moderator || conversation;
  const actions: MessageAction[] = [
    { label: 'Add reaction', icon: 'smile', run: onReact },
    {
      label: 'Reply',
      icon: 'reply',
      run: () =>
        update((s) => {
          s.replyTo = message;
        }),
    },
  ];
  if (!inThread && !conversation && !message.thread && can(Perm.CreatePublicThreads)) {
    actions.push({
      label: 'Create thread',
      icon: 'thread',
      run: () =>
        update((s) => {
          s.dialog = { kind: 'thread', message };
        }),
    });
  }
  if (pins) {
    actions.push({
      label: message.pinned ? 'Unpin message' : 'Pin message',
      icon: 'pin',
      run: () => void setPinned(message, !message.pinned),
    });
  }
  actions.push({ label: 'Apps', icon: 'grid', run: (e) => openApps({ kind: 'message', message }, e) });
  if (mine) {
    actions.push({
      label: 'Edit message',
      icon: 'edit',
      run: () =>
        update((s) => {
          s.editing = message.id;
        }),
    });
  }
  if (mine || moderator) {
    actions.push({
      label: 'Delete message',
      icon: 'trash',
      danger: true,
      run: () =>
        update((s) => {
          s.dialog = { kind: 'delete', message };
        }),
    });
  }
  return actions;
}
