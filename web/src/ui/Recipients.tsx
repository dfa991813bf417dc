// A group DM's people, where a channel's member list would be: this user and the others, the owner marked;
// each opens their profile card; the owner may remove people; anyone may add more.

import type { PrivateChannel, User } from '../api/types';
import { removeFromGroup } from '../state/dms';
import { MAX_GROUP, ownsGroup } from '../state/private';
import { displayName, update, useStore } from '../state/store';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { openProfile } from './popups';

export function Recipients({ channel }: { channel: PrivateChannel }) {
  const s = useStore();
  const people: User[] = [...(s.me ? [s.me] : []), ...channel.recipients].sort((a, b) =>
    displayName(a.id, a).localeCompare(displayName(b.id, b)),
  );
  const owner = ownsGroup(channel);
  const statusOf = (u: User) => s.presences.get(u.id) ?? 'offline';
  return (
    <aside class={s.drawer === 'members' ? 'members recipients open' : 'members recipients'} aria-label="Members">
      <h2>Members — {people.length}</h2>
      <ul>
        {people.map((u) => {
          const name = displayName(u.id, u);
          return (
            <li key={u.id} class={statusOf(u) === 'offline' ? 'member offline' : 'member'}>
              <button type="button" class="member-button" onClick={(e) => openProfile(u.id, e)}>
                <Avatar user={u} size={32} status={statusOf(u)} />
                <span class="member-name">{name}</span>
                {u.id === channel.owner_id && <span class="owner-tag" title="Group owner">owner</span>}
              </button>
              {owner && u.id !== s.me?.id && (
                <button
                  type="button"
                  class="icon remove-person"
                  aria-label={`Remove ${name} from the group`}
                  title="Remove from group"
                  onClick={() => void removeFromGroup(channel.id, u.id)}
                >
                  <Icon name="close" size={16} />
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {people.length < MAX_GROUP && (
        <button
          type="button"
          class="secondary add-people"
          onClick={() =>
            update((st) => {
              st.dmDialog = { kind: 'add-people', channelId: channel.id };
            })
          }
        >
          <Icon name="userPlus" size={16} /> Add people
        </button>
      )}
    </aside>
  );
}
