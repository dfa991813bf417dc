// A message's actions as a sheet from the bottom of the screen, opened by a long press on a touch screen (where
// there is no hover toolbar): the quick reactions and the full picker, then reply, thread, pin, edit, delete
// (the same list as the toolbar, `messageActions`) and copying the text. Opened by `openActions` (`popups.ts`);
// this file loads on demand (`onDemand.ts`).

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message, ReactionEmoji } from '../api/types';
import { QUICK_REACTIONS } from '../markdown/emoji';
import { toggleReaction } from '../state/actions';
import { displayName, useStore } from '../state/store';
import { Icon } from './Icon';
import { messageActions } from './messageActions';
import { closeActions as close, openSheet } from './popups';
import { EmojiPicker } from './EmojiPicker';

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without the clipboard API (an insecure origin), there is nothing else that does not need a selection.
  }
}

function Sheet({ message, inThread }: { message: Message; inThread: boolean }) {
  const [picking, setPicking] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => previous?.focus?.();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
  const react = (emoji: ReactionEmoji | string) => {
    close();
    void toggleReaction(message, emoji);
  };
  const actions = messageActions(message, inThread, () => setPicking(true)).filter((a) => a.icon !== 'smile');
  const firstLine =
    message.content.split('\n')[0] || (message.attachments[0]?.filename ?? message.sticker_items?.[0]?.name ?? '');
  return (
    <div class="sheet-backdrop" onClick={close}>
      <div
        class="action-sheet"
        role="dialog"
        aria-modal="true"
        aria-label="Message actions"
        onClick={(e) => e.stopPropagation()}
      >
        <p class="sheet-quote">
          <strong>{displayName(message.author.id, message.author)}</strong> {firstLine}
        </p>
        <div class="sheet-reactions" role="group" aria-label="Quick reactions">
          {QUICK_REACTIONS.slice(0, 6).map((emoji, i) => (
            <button
              key={emoji}
              ref={i === 0 ? first : undefined}
              type="button"
              aria-label={`React with ${emoji}`}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
          <button type="button" aria-label="More reactions" aria-expanded={picking} onClick={() => setPicking((p) => !p)}>
            <Icon name="smile" size={22} />
          </button>
        </div>
        {picking && <EmojiPicker purpose="react" onClose={() => setPicking(false)} onPick={react} />}
        <ul class="sheet-actions">
          {actions.map((a) => (
            <li key={a.label}>
              <button
                type="button"
                class={a.danger ? 'danger' : undefined}
                onClick={() => {
                  close();
                  a.run();
                }}
              >
                <Icon name={a.icon} /> {a.label}
              </button>
            </li>
          ))}
          {message.content && (
            <li>
              <button
                type="button"
                onClick={() => {
                  close();
                  void copy(message.content);
                }}
              >
                <Icon name="copy" /> Copy text
              </button>
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}

export function MessageSheet() {
  const s = useStore();
  const open = openSheet();
  if (!open) return null;
  // The message as it is now: it may have been edited, or deleted, since the press.
  const { message: pressed, inThread } = open;
  const message = s.histories.get(pressed.channel_id)?.messages.find((m) => m.id === pressed.id);
  if (!message) return null;
  return <Sheet key={message.id} message={message} inThread={inThread} />;
}
