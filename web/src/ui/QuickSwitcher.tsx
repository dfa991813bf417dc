// Ctrl+K: jump to any channel, thread, voice room (choosing one joins it and shows the room), DM (by the person's
// name or username) or group DM (by its name) by typing part of its name.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChannelType, type Channel, type PrivateChannel } from '../api/types';
import { openChannel } from '../state/actions';
import { conversationName, conversations, dmPartner, isGroup } from '../state/private';
import { update, useStore, type State } from '../state/store';
import { join } from '../voice/controller';
import { ConversationAvatar } from './Avatar';
import { Icon, type IconName } from './Icon';

type Item = { id: string; name: string; channel: Channel; conversation?: undefined } | {
  id: string;
  name: string;
  conversation: PrivateChannel;
  channel?: undefined;
};

/** Everything one can jump to whose name (or, for a DM, the person's username) contains the query; names
 *  that start with it first, then DMs before channels, as they are the likelier target of a person's name. */
function matches(s: State, q: string): Item[] {
  const channels: Item[] = [...s.channels.values()]
    .filter(
      (c) =>
        c.type === ChannelType.Text ||
        c.type === ChannelType.Voice ||
        c.type === ChannelType.PublicThread ||
        c.type === ChannelType.PrivateThread,
    )
    .map((c) => ({ id: c.id, name: c.name, channel: c }));
  const private_: Item[] = conversations().map((c) => ({ id: c.id, name: conversationName(c), conversation: c }));
  const names = (item: Item) => {
    const partner = item.conversation && dmPartner(item.conversation);
    return [item.name, ...(partner ? [partner.username] : [])].map((n) => n.toLowerCase());
  };
  const rank = (item: Item) => (names(item).some((n) => n.startsWith(q)) ? 0 : 2) + (item.conversation ? 0 : 1);
  return [...private_, ...channels]
    .filter((item) => names(item).some((n) => n.includes(q)))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, 12);
}

function channelIcon(channel: Channel): IconName {
  if (channel.type === ChannelType.Voice) return 'speaker';
  return channel.type === ChannelType.Text ? 'hash' : 'thread';
}

function close() {
  update((s) => {
    s.modal = null;
  });
}

export function QuickSwitcher() {
  const s = useStore();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);
  const q = query.toLowerCase().replace(/^[#@]/, '');
  const items = matches(s, q);
  const choose = (i: number) => {
    const item = items[i];
    if (!item) return;
    close();
    if (item.channel?.type === ChannelType.Voice) void join(item.id);
    else openChannel(item.id);
  };
  return (
    <div class="modal-backdrop" onClick={close}>
      <div
        class="switcher"
        role="dialog"
        aria-modal="true"
        aria-label="Quick switcher"
        onClick={(e) => e.stopPropagation()}
      >
        <input
          ref={input}
          value={query}
          placeholder="Where would you like to go?"
          aria-label="Channel or thread name"
          aria-controls="switcher-list"
          aria-activedescendant={items[selected] ? `sw-${items[selected].id}` : undefined}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setSelected(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setSelected((n) => Math.min(items.length - 1, n + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setSelected((n) => Math.max(0, n - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(selected);
            }
          }}
        />
        <ul id="switcher-list" role="listbox" aria-label="Matches">
          {items.map((item, i) => (
            <li
              key={item.id}
              id={`sw-${item.id}`}
              role="option"
              aria-selected={i === selected}
              class={i === selected ? 'selected' : undefined}
              onClick={() => choose(i)}
            >
              {item.conversation ? (
                <>
                  <ConversationAvatar channel={item.conversation} size={24} /> {item.name}
                  <span class="muted">
                    {' '}
                    {isGroup(item.conversation) ? 'group' : `@${dmPartner(item.conversation)?.username ?? ''}`}
                  </span>
                </>
              ) : (
                <>
                  <Icon name={channelIcon(item.channel)} size={16} /> {item.name}
                  {item.channel.type === ChannelType.Voice && <span class="muted"> voice</span>}
                  {item.channel.parent_id && s.channels.get(item.channel.parent_id) && (
                    <span class="muted"> in {s.channels.get(item.channel.parent_id)!.name}</span>
                  )}
                </>
              )}
            </li>
          ))}
          {items.length === 0 && <li class="muted">Nothing matches.</li>}
        </ul>
        <p class="hint muted">↑↓ to move · Enter to open · Esc to close</p>
      </div>
    </div>
  );
}
