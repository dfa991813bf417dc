// The slash command picker: typing `/` at the start of the composer lists the commands of the applications here
// (name, description, the bot's name and avatar), narrowed as one types; Up/Down move, Tab or Enter choose,
// Escape closes, a tap chooses. Typing a whole name and a space chooses it too. Choosing one hands it to the
// command form (`CommandOptions.tsx`).

import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Snowflake } from '../api/types';
import { commandIndex, slashEntries, type CommandEntry } from '../state/commands';
import { useStore, userById } from '../state/store';
import { Avatar } from './Avatar';

/** What the composer's text box hands to the picker: a key, and whether the picker used it. */
export type PickerKeys = (e: KeyboardEvent) => boolean;

const SHOWN = 25;

function matching(entries: CommandEntry[], query: string): CommandEntry[] {
  const q = query.trimStart().toLowerCase();
  const starts = entries.filter((e) => e.full.toLowerCase().startsWith(q));
  const inside = q
    ? entries.filter((e) => !e.full.toLowerCase().startsWith(q) && e.full.toLowerCase().includes(q.trim()))
    : [];
  return [...starts, ...inside].slice(0, SHOWN);
}

function BotAvatar({ entry }: { entry: CommandEntry }) {
  const bot = entry.app ? userById(entry.app.bot_id) : undefined;
  if (bot) return <Avatar user={bot} size={32} />;
  return <span class="avatar s32" aria-hidden="true" />;
}

export function CommandPicker({ channelId, query, keys, onChoose, onClose }: {
  channelId: Snowflake;
  /** What follows the `/`. */
  query: string;
  keys: RefObject<PickerKeys | null>;
  onChoose: (entry: CommandEntry) => void;
  onClose: () => void;
}) {
  useStore();
  const index = commandIndex(channelId);
  const entries = index ? slashEntries(index) : [];
  const shown = matching(entries, query);
  const [selected, setSelected] = useState(0);
  useEffect(() => setSelected(0), [query]);
  const at = Math.min(selected, Math.max(0, shown.length - 1));

  // A whole name followed by a space chooses that command, as Discord does.
  useEffect(() => {
    if (!query.endsWith(' ')) return;
    const exact = entries.find((e) => e.full.toLowerCase() === query.trim().toLowerCase());
    if (exact) onChoose(exact);
  }, [query, entries.length]);

  keys.current = (e) => {
    if (e.key === 'Escape') {
      onClose();
      return true;
    }
    // Enter while the commands load waits for them rather than sending the text as a message.
    if (!index) return e.key === 'Enter';
    if (shown.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : shown.length - 1;
      setSelected((at + step) % shown.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      onChoose(shown[at]);
      return true;
    }
    return false;
  };
  useEffect(
    () => () => {
      keys.current = null;
    },
    [],
  );

  if (index && shown.length === 0) return null;
  return (
    <div class="command-picker" role="dialog" aria-label="Commands">
      {!index ? (
        <p class="muted note">Loading commands…</p>
      ) : (
        <ul role="listbox" aria-label="Commands matching">
          {shown.map((entry, i) => (
            <li
              key={entry.full + entry.command.id}
              id={`command-${entry.command.id}-${i}`}
              role="option"
              aria-selected={i === at}
              // The text box keeps the focus (and the keyboard stays up on phones).
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setSelected(i)}
              onClick={() => onChoose(entry)}
            >
              <BotAvatar entry={entry} />
              <span class="command-text">
                <strong>/{entry.full}</strong>
                <span class="muted">{entry.description}</span>
              </span>
              <span class="command-app">{entry.app?.name ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
