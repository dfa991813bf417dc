// The composer's sticker picker: the space's stickers in a grid, each with its name; choosing one sends it to the
// conversation at once (as a reply when one is being written). Loaded on demand.

import type { RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Snowflake } from '../api/types';
import { sendSticker } from '../state/actions';
import { stickerUrl } from '../state/expressions';
import { useStore } from '../state/store';
import { useDismiss } from './dismiss';

export function StickerPicker({ channelId, onClose, opener }: {
  channelId: Snowflake;
  onClose: () => void;
  opener?: RefObject<HTMLElement | null>;
}) {
  const s = useStore();
  const root = useRef<HTMLDivElement>(null);
  useDismiss(root, onClose, opener);
  useLayoutEffect(() => root.current?.querySelector<HTMLElement>('button')?.focus(), []);
  const stickers = [...s.stickers.values()];
  return (
    <div
      ref={root}
      class="picker composer-picker sticker-picker"
      role="dialog"
      aria-label="Stickers"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {stickers.length === 0 ? (
        <p class="muted">This space has no stickers yet.</p>
      ) : (
        <div class="sticker-grid" role="group" aria-label="Stickers of this space">
          {stickers.map((sticker) => (
            <button
              key={sticker.id}
              type="button"
              class="sticker-choice"
              aria-label={`Send sticker ${sticker.name}`}
              title={sticker.description || sticker.name}
              onClick={() => {
                onClose();
                void sendSticker(channelId, sticker.id);
              }}
            >
              <img src={stickerUrl(sticker)} alt="" width={80} height={80} loading="lazy" draggable={false} />
              <span class="sticker-name">{sticker.name}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
