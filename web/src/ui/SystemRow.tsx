// Rows of the message list that are not someone's words: system messages (a call started, someone added to or
// removed from a group, a group renamed or given an icon, as Discord words them) and a blocked person's message,
// collapsed until asked for.

import type { TargetedKeyboardEvent } from 'preact';
import { MessageType, type Message } from '../api/types';
import { joinCall } from '../state/dms';
import { displayName, state, useStore } from '../state/store';
import { Icon, type IconName } from './Icon';
import { friendlyTime, longTime } from './time';

const SYSTEM_TYPES: ReadonlySet<number> = new Set([
  MessageType.RecipientAdd,
  MessageType.RecipientRemove,
  MessageType.Call,
  MessageType.NameChange,
  MessageType.IconChange,
]);

export function isSystemMessage(message: Message): boolean {
  return SYSTEM_TYPES.has(message.type);
}

/** Up and Down move between messages, as in the rest of the list. */
export function arrowNavigation(e: TargetedKeyboardEvent<HTMLElement>): boolean {
  if (e.target !== e.currentTarget || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return false;
  e.preventDefault();
  const rows = [...(e.currentTarget.closest('.scroller')?.querySelectorAll<HTMLElement>('article.msg') ?? [])];
  rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowUp' ? -1 : 1)]?.focus();
  return true;
}

function describe(message: Message): { icon: IconName; text: string } {
  const who = displayName(message.author.id, message.author);
  const target = message.mentions[0];
  const whom = target ? displayName(target.id, target) : 'someone';
  switch (message.type) {
    case MessageType.Call:
      return { icon: 'phone', text: `${who} started a call.` };
    case MessageType.RecipientAdd:
      return { icon: 'userPlus', text: `${who} added ${whom} to the group.` };
    case MessageType.RecipientRemove:
      return {
        icon: 'leave',
        text: !target || target.id === message.author.id ? `${who} left the group.` : `${who} removed ${whom} from the group.`,
      };
    case MessageType.NameChange:
      return { icon: 'edit', text: `${who} changed the group name: ${message.content}` };
    default:
      return { icon: 'image', text: `${who} changed the group icon.` };
  }
}

/** A call message offers to join while its call runs and this tab is not in it. */
function JoinButton({ message }: { message: Message }) {
  const s = useStore();
  const call = s.calls.get(message.channel_id);
  if (!call || call.message_id !== message.id || s.voice.channelId === message.channel_id) return null;
  return (
    <button type="button" class="join-call" onClick={() => joinCall(message.channel_id)}>
      Join call
    </button>
  );
}

export function SystemMessage({ message }: { message: Message }) {
  const { icon, text } = describe(message);
  return (
    <article
      class={`msg system${message.type === MessageType.Call ? ' call' : ''}`}
      aria-label={`${text} ${friendlyTime(message.timestamp)}`}
      tabIndex={0}
      onKeyDown={arrowNavigation}
    >
      <span class="system-icon" aria-hidden="true">
        <Icon name={icon} size={18} />
      </span>
      <span class="system-text">{text}</span>
      <time dateTime={message.timestamp} title={longTime(message.timestamp)}>
        {friendlyTime(message.timestamp)}
      </time>
      {message.type === MessageType.Call && <JoinButton message={message} />}
    </article>
  );
}

export function BlockedMessage({ message, onShow }: { message: Message; onShow: () => void }) {
  return (
    <article class="msg blocked" aria-label="Blocked message" tabIndex={0} onKeyDown={arrowNavigation}>
      <span class="system-icon" aria-hidden="true">
        <Icon name="block" size={18} />
      </span>
      <span class="system-text">Blocked message</span>
      <span aria-hidden="true">—</span>
      <button
        type="button"
        class="link"
        aria-label={`Show the blocked message from ${displayName(message.author.id, message.author)}`}
        onClick={onShow}
      >
        Show message
      </button>
    </article>
  );
}

/** Whether a message is from someone this user blocked (their own never are). */
export function fromBlocked(message: Message): boolean {
  return message.author.id !== state.me?.id && state.blocked.has(message.author.id);
}
