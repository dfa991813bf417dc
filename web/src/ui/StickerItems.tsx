// A message's stickers: each one's image at 160 px (its name as the alternative text). A sticker the space no
// longer has may have no image left: when it fails to load, its name shows instead.

import { useState } from 'preact/hooks';
import type { StickerItem } from '../api/types';
import { stickerUrl } from '../state/expressions';

function One({ item }: { item: StickerItem }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <span class="sticker missing">{item.name}</span>;
  return (
    <img
      class="sticker"
      src={stickerUrl(item)}
      alt={item.name}
      title={item.name}
      width={160}
      height={160}
      loading="lazy"
      draggable={false}
      onError={() => setFailed(true)}
    />
  );
}

export function StickerItems({ items }: { items: StickerItem[] }) {
  if (items.length === 0) return null;
  return (
    <div class="stickers">
      {items.map((item) => (
        <One key={item.id} item={item} />
      ))}
    </div>
  );
}
