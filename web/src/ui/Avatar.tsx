// A user's avatar: their uploaded image, or their initial on a colour picked from their id.

import type { User } from '../api/types';
import { displayName } from '../state/store';

export function avatarUrl(user: Pick<User, 'id' | 'avatar'>): string | null {
  return user.avatar ? `/avatars/${user.id}/${user.avatar}.png` : null;
}

export function Avatar({ user, size = 40, status }: { user: User; size?: 24 | 32 | 40 | 80; status?: string }) {
  const url = avatarUrl(user);
  const name = displayName(user.id, user);
  const hue = Number(BigInt(user.id) % 8n);
  return (
    <span class={`avatar s${size}`} aria-hidden="true">
      {url ? (
        <img src={url} alt="" width={size} height={size} loading="lazy" />
      ) : (
        <span class={`initial hue${hue}`}>{[...name][0]?.toUpperCase() ?? '?'}</span>
      )}
      {status && <span class={`presence ${status}`} />}
    </span>
  );
}
