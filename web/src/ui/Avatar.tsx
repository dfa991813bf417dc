// A user's avatar: their uploaded image, or their initial on a colour picked from their id; and a
// conversation's: the other person's for a DM, a group's icon, or its first two people overlapping.

import type { PrivateChannel, User } from '../api/types';
import { dmPartner, groupIconUrl, isGroup } from '../state/private';
import { displayName, state } from '../state/store';

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

export function ConversationAvatar({ channel, size = 32, status = false }: {
  channel: PrivateChannel;
  size?: 24 | 32 | 40 | 80;
  /** Show the other person's presence (a DM). */
  status?: boolean;
}) {
  const partner = dmPartner(channel);
  if (partner) {
    return <Avatar user={partner} size={size} status={status ? (state.presences.get(partner.id) ?? 'offline') : undefined} />;
  }
  const icon = isGroup(channel) ? groupIconUrl(channel) : null;
  if (icon) {
    return (
      <span class={`avatar s${size}`} aria-hidden="true">
        <img src={icon} alt="" width={size} height={size} loading="lazy" />
      </span>
    );
  }
  const [first, second] = channel.recipients;
  if (!second) return first ? <Avatar user={first} size={size} /> : <span class={`avatar s${size} group-empty`} aria-hidden="true" />;
  return (
    <span class={`avatar s${size} stacked`} aria-hidden="true">
      <Avatar user={first} size={24} />
      <Avatar user={second} size={24} />
    </span>
  );
}
