// The dialogs of direct messages: a new group (pick up to nine people, name it if you like), adding people to a
// group, a group's settings (name, icon, people, leave) and the confirmation before leaving.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { PrivateChannel, Snowflake, User } from '../api/types';
import { addPeople, closeConversation, createGroup, openDm, removeFromGroup, updateGroup } from '../state/dms';
import { MAX_GROUP, conversationName, groupSize, ownsGroup } from '../state/private';
import { displayName, state, update, useStore, type DmDialog } from '../state/store';
import { Avatar, ConversationAvatar } from './Avatar';
import { readAsDataUri } from './Settings';

function close() {
  update((s) => {
    s.dmDialog = null;
  });
}

function Frame({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <div class="modal-backdrop" onClick={close}>
      <div class="dialog dm-dialog" role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
        {children}
      </div>
    </div>
  );
}

/** Everyone in the space one could put in a group: not this user, not someone blocked, not excluded. */
function candidates(exclude: Snowflake[], filter: string): User[] {
  const wanted = filter.trim().toLowerCase();
  return [...state.members.values()]
    .map((m) => m.user)
    .filter((u) => u.id !== state.me?.id && !state.blocked.has(u.id) && !exclude.includes(u.id))
    .filter((u) => !wanted || [displayName(u.id, u), u.username].some((n) => n.toLowerCase().includes(wanted)))
    .sort((a, b) => displayName(a.id, a).localeCompare(displayName(b.id, b)));
}

/** A filterable list of people with checkboxes, at most `room` of them picked. */
function PeoplePicker({ exclude, room, picked, setPicked }: {
  exclude: Snowflake[];
  room: number;
  picked: Snowflake[];
  setPicked: (ids: Snowflake[]) => void;
}) {
  const [filter, setFilter] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const people = candidates(exclude, filter);
  const left = room - picked.length;
  return (
    <div class="people-picker">
      <input
        ref={input}
        type="search"
        value={filter}
        placeholder="Type the name of a person"
        aria-label="Find people"
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <p class="muted picker-count" role="status">
        {left > 0 ? `You can add ${left} more ${left === 1 ? 'person' : 'people'}.` : 'This group is full.'}
      </p>
      <ul class="people" aria-label="People">
        {people.map((u) => {
          const chosen = picked.includes(u.id);
          return (
            <li key={u.id}>
              <label class={chosen ? 'person chosen' : 'person'}>
                <input
                  type="checkbox"
                  checked={chosen}
                  disabled={!chosen && left <= 0}
                  onChange={() => setPicked(chosen ? picked.filter((id) => id !== u.id) : [...picked, u.id])}
                />
                <Avatar user={u} size={24} />
                <span class="person-name">{displayName(u.id, u)}</span>
                <span class="muted person-handle">{u.username}</span>
              </label>
            </li>
          );
        })}
        {people.length === 0 && <li class="muted">Nobody matches.</li>}
      </ul>
    </div>
  );
}

function NewGroup({ with: preset }: { with: Snowflake[] }) {
  const [picked, setPicked] = useState<Snowflake[]>(preset);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Frame title="New group">
      <form
        class="dialog-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (picked.length === 0 || busy) return;
          setBusy(true);
          // One person and no name is a DM, as on Discord.
          if (picked.length === 1 && preset.length === 0 && !name.trim()) await openDm(picked[0]);
          else if (!(await createGroup(picked, name))) setBusy(false);
        }}
      >
        <h2>New group</h2>
        <PeoplePicker exclude={[]} room={MAX_GROUP - 1} picked={picked} setPicked={setPicked} />
        <label class="stack">
          Group name (optional)
          <input value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" disabled={picked.length === 0 || busy}>
            {picked.length === 1 && preset.length === 0 ? 'Create DM' : 'Create group'}
          </button>
        </div>
      </form>
    </Frame>
  );
}

function AddPeople({ channel }: { channel: PrivateChannel }) {
  const [picked, setPicked] = useState<Snowflake[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <Frame title={`Add people to ${conversationName(channel)}`}>
      <form
        class="dialog-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (picked.length === 0 || busy) return;
          setBusy(true);
          if (!(await addPeople(channel.id, picked))) setBusy(false);
        }}
      >
        <h2>Add people</h2>
        <PeoplePicker
          exclude={channel.recipients.map((u) => u.id)}
          room={MAX_GROUP - groupSize(channel)}
          picked={picked}
          setPicked={setPicked}
        />
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" disabled={picked.length === 0 || busy}>
            Add
          </button>
        </div>
      </form>
    </Frame>
  );
}

function GroupSettings({ channel }: { channel: PrivateChannel }) {
  const s = useStore();
  const [name, setName] = useState(channel.name ?? '');
  const [saved, setSaved] = useState('');
  const owner = ownsGroup(channel);
  const open = (next: DmDialog) =>
    update((st) => {
      st.dmDialog = next;
    });
  return (
    <Frame title="Group settings">
      <div class="dialog-form">
        <h2>Group settings</h2>
        <div class="profile-row">
          <ConversationAvatar channel={channel} size={80} />
          <label class="button secondary">
            Change icon
            <input
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              hidden
              onChange={async (e) => {
                const file = e.currentTarget.files?.[0];
                if (file) await updateGroup(channel.id, { icon: await readAsDataUri(file) });
              }}
            />
          </label>
          {channel.icon && (
            <button type="button" class="secondary" onClick={() => void updateGroup(channel.id, { icon: null })}>
              Remove icon
            </button>
          )}
        </div>
        <form
          class="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await updateGroup(channel.id, { name: name.trim() || null })) setSaved('Saved.');
          }}
        >
          <label>
            Group name
            <input
              value={name}
              maxLength={100}
              placeholder={channel.recipients.map((u) => displayName(u.id, u)).join(', ')}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setSaved('');
              }}
            />
          </label>
          <div class="row-buttons">
            <button type="submit">Save</button>
            <span class="muted" role="status">
              {saved}
            </span>
          </div>
        </form>
        <section aria-label="People in this group">
          <h3 class="dialog-subtitle">People — {groupSize(channel)}</h3>
          <ul class="people">
            {channel.recipients.map((u) => (
              <li key={u.id} class="person">
                <Avatar user={u} size={24} />
                <span class="person-name">{displayName(u.id, u)}</span>
                {u.id === channel.owner_id && <span class="owner-tag">owner</span>}
                {owner && (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => void removeFromGroup(channel.id, u.id)}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
            {s.me && (
              <li class="person">
                <Avatar user={s.me} size={24} />
                <span class="person-name">{displayName(s.me.id, s.me)} (you)</span>
                {s.me.id === channel.owner_id && <span class="owner-tag">owner</span>}
              </li>
            )}
          </ul>
        </section>
        <div class="dialog-buttons">
          <button type="button" class="danger" onClick={() => open({ kind: 'leave-group', channelId: channel.id })}>
            Leave group
          </button>
          {groupSize(channel) < MAX_GROUP && (
            <button type="button" class="secondary" onClick={() => open({ kind: 'add-people', channelId: channel.id })}>
              Add people
            </button>
          )}
          <button type="button" onClick={close}>
            Done
          </button>
        </div>
      </div>
    </Frame>
  );
}

function LeaveGroup({ channel }: { channel: PrivateChannel }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  const name = conversationName(channel);
  return (
    <Frame title={`Leave ${name}`}>
      <div class="dialog-form">
        <h2>Leave '{name}'</h2>
        <p>You won't get its messages any more, and you can come back only if someone adds you again.</p>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={close}>
            Cancel
          </button>
          <button ref={confirm} type="button" class="danger" onClick={() => void closeConversation(channel.id)}>
            Leave group
          </button>
        </div>
      </div>
    </Frame>
  );
}

export function DmDialogs() {
  const s = useStore();
  const dialog = s.dmDialog;
  if (!dialog) return null;
  if (dialog.kind === 'new-group') return <NewGroup with={dialog.with} />;
  const channel = s.privateChannels.get(dialog.channelId);
  if (!channel) return null;
  // Keyed by the channel, so a dialog opened for another group starts afresh.
  if (dialog.kind === 'add-people') return <AddPeople key={channel.id} channel={channel} />;
  if (dialog.kind === 'group-settings') return <GroupSettings key={channel.id} channel={channel} />;
  return <LeaveGroup key={channel.id} channel={channel} />;
}
