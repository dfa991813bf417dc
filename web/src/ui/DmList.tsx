// "Direct messages" at the top of the sidebar: the open DMs and groups, newest activity first, each with its
// avatar, name, a line under it (the last message when it is loaded, or a group's size), unread state and a
// badge counting the messages waiting (every DM message counts, as on Discord); closing a DM or leaving a group
// from the list; the button that makes a new group. The section folds away (remembered in localStorage).

import { useState } from 'preact/hooks';
import { MessageType, type PrivateChannel } from '../api/types';
import { openChannel } from '../state/actions';
import { closeConversation } from '../state/dms';
import { isMuted } from '../state/notifySettings';
import { conversationName, conversations, groupSize, isGroup, lastLoadedMessage } from '../state/private';
import { displayName, isUnread, update, useStore } from '../state/store';
import { ConversationAvatar } from './Avatar';
import { Icon } from './Icon';

const FOLDED = 'spot.dms.folded';

function subtitle(channel: PrivateChannel, meId: string | undefined): string {
  const last = lastLoadedMessage(channel.id);
  if (last && last.id === channel.last_message_id) {
    const who = last.author.id === meId ? 'You' : displayName(last.author.id, last.author);
    if (last.type === MessageType.Call) return `${who} started a call`;
    const text = last.content.replace(/\s+/g, ' ').trim() || (last.attachments.length ? 'sent a file' : '');
    if (text) return isGroup(channel) || who === 'You' ? `${who}: ${text}` : text;
  }
  return isGroup(channel) ? `${groupSize(channel)} members` : '';
}

function DmItem({ channel }: { channel: PrivateChannel }) {
  const s = useStore();
  const active = s.activeChannel === channel.id && !s.stage;
  // A muted conversation is dimmed, without unread mark or count (every DM message counts as a mention).
  const muted = isMuted(channel.id);
  const unread = !active && !muted && isUnread(channel);
  const waiting = muted ? 0 : (s.readStates.get(channel.id)?.mentions ?? 0);
  const name = conversationName(channel);
  const group = isGroup(channel);
  const sub = subtitle(channel, s.me?.id);
  const calling = s.calls.has(channel.id);
  const classes = ['channel', 'dm'];
  if (active) classes.push('active');
  if (unread) classes.push('unread');
  if (muted) classes.push('channel-muted');
  return (
    <li class="dm-item">
      <a
        href={`/channels/@me/${channel.id}`}
        class={classes.join(' ')}
        aria-current={active ? 'page' : undefined}
        aria-label={`${name} (${group ? 'group' : 'direct message'})${muted ? ', muted' : ''}${unread ? ', unread' : ''}${waiting ? `, ${waiting} new messages` : ''}${calling ? ', call in progress' : ''}`}
        onClick={(e) => {
          e.preventDefault();
          openChannel(channel.id);
        }}
      >
        <ConversationAvatar channel={channel} size={32} status={!group} />
        <span class="dm-text">
          <span class="channel-name">{name}</span>
          {sub && <span class="dm-sub">{sub}</span>}
        </span>
        {calling && (
          <span class="dm-calling" title="Call in progress">
            <Icon name="phone" size={16} />
          </span>
        )}
        {waiting > 0 && !active && <span class="badge">{waiting}</span>}
      </a>
      <button
        type="button"
        class="icon dm-close"
        aria-label={group ? `Leave ${name}` : `Close the conversation with ${name}`}
        title={group ? 'Leave group' : 'Close conversation'}
        onClick={() =>
          group
            ? update((st) => {
                st.dmDialog = { kind: 'leave-group', channelId: channel.id };
              })
            : void closeConversation(channel.id)
        }
      >
        <Icon name="close" size={16} />
      </button>
    </li>
  );
}

export function DmList() {
  useStore();
  const [folded, setFolded] = useState(() => localStorage.getItem(FOLDED) === 'yes');
  const list = conversations();
  const waiting = list.some((c) => isUnread(c) && !isMuted(c.id));
  return (
    <section class="dm-section" aria-label="Direct messages">
      <div class="section-head">
        <h2>
          <button
            type="button"
            class="section-toggle"
            aria-expanded={!folded}
            onClick={() => {
              localStorage.setItem(FOLDED, folded ? 'no' : 'yes');
              setFolded(!folded);
            }}
          >
            <span class={folded ? 'chevron folded' : 'chevron'} aria-hidden="true">
              <Icon name="chevron" size={12} />
            </span>
            Direct messages
            {folded && waiting && (
              <>
                <span class="dot" aria-hidden="true" />
                <span class="visually-hidden">, unread</span>
              </>
            )}
          </button>
        </h2>
        <button
          type="button"
          class="icon"
          aria-label="Create a group DM"
          title="Create a group DM"
          onClick={() =>
            update((st) => {
              st.dmDialog = { kind: 'new-group', with: [] };
            })
          }
        >
          <Icon name="plus" size={16} />
        </button>
      </div>
      {!folded && (
        <ul class="channel-list dm-list">
          {list.map((c) => (
            <DmItem key={c.id} channel={c} />
          ))}
          {list.length === 0 && <li class="dm-empty muted">Open someone's profile and choose Message.</li>}
        </ul>
      )}
    </section>
  );
}
