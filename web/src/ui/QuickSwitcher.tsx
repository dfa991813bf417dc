// Ctrl+K: jump to any channel, thread or member's latest mention by typing part of its name.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ChannelType } from '../api/types';
import { openChannel } from '../state/actions';
import { update, useStore } from '../state/store';
import { Icon } from './Icon';

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
  const q = query.toLowerCase().replace(/^#/, '');
  const items = [...s.channels.values()]
    .filter((c) => c.type === ChannelType.Text || c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread)
    .filter((c) => c.name.toLowerCase().includes(q))
    .sort((a, b) => Number(b.name.toLowerCase().startsWith(q)) - Number(a.name.toLowerCase().startsWith(q)))
    .slice(0, 12);
  const choose = (i: number) => {
    const item = items[i];
    if (!item) return;
    close();
    openChannel(item.id);
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
          {items.map((c, i) => (
            <li
              key={c.id}
              id={`sw-${c.id}`}
              role="option"
              aria-selected={i === selected}
              class={i === selected ? 'selected' : undefined}
              onClick={() => choose(i)}
            >
              <Icon name={c.type === ChannelType.Text ? 'hash' : 'thread'} size={16} /> {c.name}
              {c.parent_id && s.channels.get(c.parent_id) && (
                <span class="muted"> in {s.channels.get(c.parent_id)!.name}</span>
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
