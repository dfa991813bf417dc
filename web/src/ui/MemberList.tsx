// The member list: online members first (grouped under hoisted roles), then offline, with presence dots. A
// member opens their profile card (where a DM with them starts); a right click opens the Apps menu of
// applications' user commands.

import type { Member, Role } from '../api/types';
import { displayName, roleColor, state, useStore } from '../state/store';
import { Avatar } from './Avatar';
import { openApps, openProfile } from './popups';

function MemberRow({ member, status }: { member: Member; status: string }) {
  const color = roleColor(member.user.id);
  return (
    <li class={status === 'offline' ? 'member offline' : 'member'}>
      <button
        type="button"
        class="member-button"
        onClick={(e) => openProfile(member.user.id, e)}
        onContextMenu={(e) => {
          if (!state.activeChannel) return;
          e.preventDefault();
          openApps({ kind: 'user', userId: member.user.id, channelId: state.activeChannel }, e);
        }}
      >
        <Avatar user={member.user} size={32} status={status} />
        <span class="member-name" style={color ? { color } : undefined}>
          {displayName(member.user.id, member.user)}
        </span>
        {member.user.bot && <span class="bot-tag">APP</span>}
        <span class="visually-hidden">, {status}</span>
      </button>
    </li>
  );
}

function hoistedRole(member: Member): Role | null {
  let best: Role | null = null;
  for (const id of member.roles) {
    const role = state.roles.get(id);
    if (role?.hoist && (!best || role.position > best.position)) best = role;
  }
  return best;
}

export function MemberList() {
  const s = useStore();
  const members = [...s.members.values()].sort((a, b) =>
    displayName(a.user.id).localeCompare(displayName(b.user.id)),
  );
  const statusOf = (m: Member) => s.presences.get(m.user.id) ?? 'offline';
  const online = members.filter((m) => statusOf(m) !== 'offline');
  const offline = members.filter((m) => statusOf(m) === 'offline');
  const groups = new Map<string, { title: string; position: number; members: Member[] }>();
  for (const m of online) {
    const role = hoistedRole(m);
    const key = role?.id ?? 'online';
    if (!groups.has(key)) groups.set(key, { title: role?.name ?? 'Online', position: role?.position ?? -1, members: [] });
    groups.get(key)!.members.push(m);
  }
  const ordered = [...groups.values()].sort((a, b) => b.position - a.position);
  if (offline.length) ordered.push({ title: 'Offline', position: -2, members: offline });
  return (
    <aside class={s.drawer === 'members' ? 'members open' : 'members'} aria-label="Members">
      {ordered.map((g) => (
        <section key={g.title} aria-label={`${g.title}, ${g.members.length}`}>
          <h2>
            {g.title} — {g.members.length}
          </h2>
          <ul>
            {g.members.map((m) => (
              <MemberRow key={m.user.id} member={m} status={statusOf(m)} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
